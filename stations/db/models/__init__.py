"""ORM models, one module per area; import from here."""

from stations.db.models.base import Base
from stations.db.models.changes import ChangeAction, StationChange
from stations.db.models.registry import ProviderListing, SignSerial, Site, Station
from stations.db.models.sync import ApiKey, WebhookDelivery, WebhookSubscription

__all__ = ["Base", "ChangeAction", "ProviderListing", "SignSerial", "Site", "Station", "StationChange"]
__all__ += ["ApiKey", "WebhookDelivery", "WebhookSubscription"]
