"""The official holiday calendar as registry data: files read and checked, loads with history, status, and the
calendar each app process judges opening hours by."""

from stations.services.holidays.files import CheckedSchedule, read_schedule
from stations.services.holidays.live import LiveCalendar
from stations.services.holidays.status import YearStatus, missing_schedule_notice, year_detail, year_statuses
from stations.services.holidays.store import Preview, add_package_years, apply, load_calendar, preview

__all__ = [
    "CheckedSchedule", "LiveCalendar", "Preview", "YearStatus", "add_package_years", "apply", "load_calendar",
    "missing_schedule_notice", "preview", "read_schedule", "year_detail", "year_statuses",
]
