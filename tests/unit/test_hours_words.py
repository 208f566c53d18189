"""Hours in words: the forms stations use, in Chinese and English, and what is shown as written."""

from __future__ import annotations

import pytest

from stations.hours import hours_in_words, opening_words, parse_hours
from stations.services.registry.demo import HOURS


def words(text: str, lang: str = "zh") -> str:
    return hours_in_words(parse_hours(text).text, lang)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("24/7", "全天24小时开放", "Open 24 hours, every day"),
        ("Mo-Su 08:00-20:00", "每天 08:00–20:00", "Daily 08:00–20:00"),
        ("Mo-Fr 08:30-12:00,14:00-17:30; PH off",
         "周一至周五 08:30–12:00、14:00–17:30，法定节假日休息，调休上班日同周一",
         "Mon–Fri 08:30–12:00, 14:00–17:30; closed on public holidays; make-up workdays as Monday"),
        ("Mo-Su 07:00-21:00; PH 09:00-17:00", "每天 07:00–21:00，法定节假日 09:00–17:00",
         "Daily 07:00–21:00; public holidays 09:00–17:00"),
        ("Mo-Fr 08:30-17:30; Sa 09:00-12:00", "周一至周五 08:30–17:30；周六 09:00–12:00，调休上班日同周一",
         "Mon–Fri 08:30–17:30; Sat 09:00–12:00; make-up workdays as Monday"),
        ("22:00-06:00", "每天 22:00–次日06:00", "Daily 22:00–06:00 next day"),
        ("Fr 20:00-26:00", "周五 20:00–次日02:00", "Fri 20:00–02:00 next day"),
        ("24/7; PH off", "每天 24小时，法定节假日休息", "Daily 24 hours; closed on public holidays"),
        ("Mo,We,Fr 09:00-12:00", "周一、周三、周五 09:00–12:00，调休上班日同周一",
         "Mon, Wed, Fri 09:00–12:00; make-up workdays as Monday"),
        ("Mo-Sa 09:00-18:00; Sa,Su 10:00-16:00", "周一至周五 09:00–18:00；周六、周日 10:00–16:00，调休上班日同周一",
         "Mon–Fri 09:00–18:00; Sat, Sun 10:00–16:00; make-up workdays as Monday"),
        ("off", "不开放", "Closed"),
        ("PH 09:00-12:00", "仅法定节假日 09:00–12:00", "only on public holidays 09:00–12:00"),
    ],
)
def test_common_forms_in_words(text: str, zh: str, en: str) -> None:
    assert (words(text), words(text, "en")) == (zh, en)


def test_holidays_that_keep_their_weekday_hours_are_not_mentioned() -> None:
    """`PH off` before a weekday rule is overridden on weekdays and matches nothing new on weekends."""
    assert words("PH off; Mo-Fr 08:00-17:00") == "周一至周五 08:00–17:00，调休上班日同周一"


@pytest.mark.parametrize(
    "text",
    [
        "Jun-Sep Mo-Fr 07:00-19:00; Oct-May Mo-Fr 08:30-17:30",  # seasons: not one week
        'Mo-Sa 08:00-18:00 "午休 12:00-13:00"',  # a comment carries words of its own
        "Mo-Fr 09:00-17:00; PH -1 day 09:00-12:00; PH off",  # the eve of a holiday
        "Mo-Fr 22:00-06:00; PH off",  # the parser still opens the morning after a holiday's night
        "Mo-Fr 10:00+",
        "sunrise-sunset",
    ],
)
def test_what_cannot_be_said_exactly_is_shown_as_written(text: str) -> None:
    normalised = parse_hours(text).text
    assert hours_in_words(normalised) == normalised == hours_in_words(normalised, "en")


def test_every_demo_timetable_is_said_in_words() -> None:
    every = {hours for kind_hours in HOURS.values() for hours in kind_hours}
    assert [h for h in every if hours_in_words(h) == h] == []


def test_self_service_hours_and_ways_in() -> None:
    said = opening_words("Mo-Su 08:00-20:00", "20:00-08:00", ["qr_scan", "face"])
    assert said.hours == "每天 08:00–20:00"
    assert said.self_service == "每天 20:00–次日08:00" and said.access == "扫码开门、刷脸开门"
    english = opening_words("24/7", None, ["code", "unknown_way"], "en")
    assert (english.self_service, english.access) == (None, "Door code, unknown_way")
    assert opening_words("24/7", None, []).access is None
