"""ORM models, one module per area; import from here."""

from stations.db.models.base import Base
from stations.db.models.calendar import HolidayChange, HolidayDay, HolidaySchedule
from stations.db.models.changes import ChangeAction, StationChange
from stations.db.models.registry import ProviderListing, SignSerial, Site, Station
from stations.db.models.reports import ReportKind, ReportStatus, StationReport
from stations.db.models.staff import ImportJob, ReportResolution, Role, StaffToken, StaffUser, TokenKind
from stations.db.models.sync import ApiKey, WebhookDelivery, WebhookSubscription
from stations.db.models.throttle import LoginThrottle

__all__ = [
    "Base", "ChangeAction", "ImportJob", "ProviderListing", "ReportResolution", "Role", "SignSerial", "Site",
    "StaffToken", "StaffUser", "Station", "StationChange", "TokenKind",
]
__all__ += ["ApiKey", "WebhookDelivery", "WebhookSubscription"]
__all__ += ["ReportKind", "ReportStatus", "StationReport"]
__all__ += ["HolidayChange", "HolidayDay", "HolidaySchedule"]
__all__ += ["LoginThrottle"]
from stations.db.models.trust import (  # noqa: E402 (issue 22's models, kept apart from the lines above)
    Checkin,
    Checklist,
    DuplicateDismissal,
    Finding,
    Inspection,
    StarRating,
    StationPhoto,
)

__all__ += ["Checkin", "Checklist", "DuplicateDismissal", "Finding", "Inspection", "StarRating", "StationPhoto"]
from stations.db.models.alerts import AlertChange, StationAlertMode, WeatherAlert  # noqa: E402 (issue 24)

__all__ += ["AlertChange", "StationAlertMode", "WeatherAlert"]
