"""Opening hours in OpenStreetMap `opening_hours` syntax, evaluated in Asia/Shanghai with China's calendar.

The calendar is data (`calendar.HolidayCalendar`): the app passes the registry's, loaded from its holiday table;
without one, the installed chinesecalendar's years are used. A year whose schedule is not published is
provisional: ordinary weekdays and weekends plus the holidays the law fixes by date; `judge` says when an
answer depends on what that year's notice may still add.

Syntax comes from opening-hours-py; its holiday list is not used (its China PH list is wrong and it knows no
make-up workdays). Instead every evaluation works one local day at a time: the parser's schedule for a day
depends only on which rules pick that day and the day before (for times past midnight), so each weekday
item list (`Mo-Fr`, `Sa,PH`, `PH +1 day` ...) whose meaning differs under China's calendar is replaced by the
explicit weekday names of the days it picks in that two-day window, or by a lone `PH` (which never matches,
since the parser knows no holidays) when it picks neither. Then:

- `PH` picks a statutory holiday: a day of an official break per the calendar, including the weekend days
  inside the break; ordinary weekends are not PH. `PH +n day` / `PH -n day` offsets are honoured.
- A make-up workday (调休, a Saturday or Sunday that is an official workday) is treated as the Monday of its
  ISO week by weekday rules, so `Mo-Fr` rules pick it and `Sa`/`Su` rules do not; year, month, date and
  week-number rules still see the real date.
- Hours past midnight (`Fr 20:00-02:00`, `22:00-06:00`) spill into the next morning, using the previous day's
  own kind (a make-up Saturday's `Mo-Fr 22:00-06:00` runs into Sunday morning), with the parser's rule order
  semantics (a later rule picking the next day, e.g. `Sa off`, overrides the spill).

Limitations:
- The parser lets a rule override only the days it picks, so `Mo-Fr 22:00-06:00; PH off` closes at
  midnight when a holiday starts but still opens 00:00-06:00 on the morning after the last holiday (that
  holiday's own night shift is not cancelled).
- A make-up workday always follows Monday's hours; nth-weekday items such as `Mo[1]` are judged on that
  Monday's date.
- `SH` (school holidays) never matches; sunrise/sunset use the parser's fixed defaults (07:00/19:00)
  because no coordinates are given.
- `unknown` counts as not open (hours nobody gave are stored as `UNKNOWN`; the nearest lookup answers "not
  known" for them, never open); `next_change` reports flips of `is_open` only, within 14 days.
- In words (`words.hours_in_words`, zh or en) only weekly expressions are said; the words are proven against
  the evaluator day by day (`weekly`), and anything else is shown as written.
- Expressions whose weekday items match every weekday and never mention PH (`24/7`, `Mo-Su 08:00-20:00`,
  `08:00-18:00`) do not depend on the calendar and are certain at any date.
"""

from stations.hours import engine, schedule, weekdays, weekly, words
from stations.hours.calendar import DayKind, HolidayCalendar, OfficialDay, day_kind, known_years, package_calendar
from stations.hours.parse import UNKNOWN, Hours, is_unknown, parse_hours
from stations.hours.prose import suggest_from_prose
from stations.hours.schedule import HORIZON, SHANGHAI, Verdict, is_open, judge, next_change
from stations.hours.words import OpeningWords, hours_in_words, opening_words


def clear_caches() -> None:
    """Forget the memoised parses, rewrites and day schedules (pure functions: only memory and speed change)."""
    for memo in (engine.compile_expression, schedule.day_segments, weekdays.is_calendar_free,
                 weekdays.library_matches, weekdays.rewrite_for_day, weekly.pattern, words.hours_in_words):
        memo.cache_clear()


__all__ = [
    "HORIZON",
    "SHANGHAI",
    "UNKNOWN",
    "DayKind",
    "HolidayCalendar",
    "Hours",
    "OfficialDay",
    "OpeningWords",
    "Verdict",
    "clear_caches",
    "day_kind",
    "hours_in_words",
    "is_open",
    "is_unknown",
    "judge",
    "known_years",
    "next_change",
    "opening_words",
    "package_calendar",
    "parse_hours",
    "suggest_from_prose",
]
