"""The quality score's formula (docs/quality.md): each term, the bounds, and that fresher never scores lower."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from stations.services.trust.quality import FLAG_AFTER, Inputs, parts, score

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 4, tzinfo=UTC)


def test_a_station_nobody_ever_checked_scores_zero() -> None:
    assert score(Inputs(), TODAY) == 0


def test_a_station_checked_on_every_count_scores_100() -> None:
    full = Inputs(verified_at=TODAY, confirmed_open_at=NOW, hours_checked_on=TODAY, location_checked_on=TODAY,
                  amenities_checked_on=TODAY, access_checked_on=TODAY, last_inspection_on=TODAY, photos=3,
                  has_phone=True, amenities=4)
    assert score(full, TODAY) == 100
    assert sum(p.most for p in parts(full, TODAY)) == 100


def test_verification_counts_fully_for_six_months_then_half_for_a_year() -> None:
    def verified(days: int) -> int:
        return next(p.points for p in parts(Inputs(verified_at=TODAY - timedelta(days=days)), TODAY)
                    if p.code == "verified")

    assert (verified(0), verified(183), verified(184), verified(365), verified(366)) == (30, 30, 15, 15, 0)


def test_riders_finding_it_closed_and_open_problems_take_points_away() -> None:
    good = Inputs(verified_at=TODAY, has_phone=True, amenities=2)
    assert score(good, TODAY) == 40
    assert score(Inputs(**{**vars(good), "closed_recent": FLAG_AFTER}), TODAY) == 15
    assert score(Inputs(**{**vars(good), "closed_recent": FLAG_AFTER - 1}), TODAY) == 40
    assert score(Inputs(**{**vars(good), "open_findings": 9, "open_reports": 9}), TODAY) == 10
    assert score(Inputs(**{**vars(good), "broken_recent": 1}), TODAY) == 35


ages = st.one_of(st.none(), st.integers(min_value=0, max_value=2000))


@given(verified=ages, fact=ages, inspected=ages, photos=st.integers(0, 10), closed=st.integers(0, 10),
       findings=st.integers(0, 10), reports=st.integers(0, 10), earlier=st.integers(1, 400))
def test_score_stays_in_range_and_fresher_checks_never_score_lower(
    verified: int | None, fact: int | None, inspected: int | None, photos: int, closed: int, findings: int,
    reports: int, earlier: int,
) -> None:
    def at(days: int | None) -> date | None:
        return None if days is None else TODAY - timedelta(days=days)

    inputs = Inputs(verified_at=at(verified), hours_checked_on=at(fact), last_inspection_on=at(inspected),
                    photos=photos, closed_recent=closed, open_findings=findings, open_reports=reports)
    value = score(inputs, TODAY)
    assert 0 <= value <= 100
    if verified is not None:
        fresher = Inputs(**{**vars(inputs), "verified_at": at(max(0, verified - earlier))})
        assert score(fresher, TODAY) >= value
