"""Where a row is: divisions named in addresses and district cells, the region code derived or cross-checked with
the likeliest right value as the suggestion, and whether a file that states no datum is GCJ-02. No database."""

from __future__ import annotations

import pytest

from stations.geo.crs import wgs84_to_gcj02
from stations.services.importer import datum
from stations.services.importer.messages import Note
from stations.services.importer.places import district_codes, named_in
from stations.services.importer.placing import place_row
from stations.services.importer.registered import AS_WGS84, AT
from stations.services.importer.rows import CheckedRow
from tests.staff.messy_files import CHENGGUAN, QILIHE


@pytest.mark.parametrize(("text", "codes", "named"), [
    ("甘肃省兰州市城关区张掖路87号", ("620102",), "甘肃省兰州市城关区"),
    ("兰州市城关区张掖路", ("620102",), "兰州市城关区"),
    ("甘肃兰州城关区", ("620102",), "甘肃兰州城关区"), ("城关区示例路", ("540102", "620102"), "城关区"),
    ("兰州市张掖路", ("620100",), "兰州市"), ("北京市东城区", ("110101",), "北京市东城区"),
    ("东莞市南城街道", ("441900",), "东莞市"),
    ("湖南省永州市祁阳县", ("431181",), "湖南省永州市祁阳县"),  # 祁阳县 became 祁阳市 (431181)
    ("北京路12号", None, ""), ("兰州路8号", None, ""), ("张掖路87号", None, ""),
])
def test_divisions_named_at_the_start_of_an_address(text: str, codes: tuple[str, ...] | None, named: str) -> None:
    place = named_in(text)
    assert (place.codes, place.text) == (codes, named) if place else codes is None


def test_a_district_cell_by_name_or_stem() -> None:
    assert district_codes("西固区").codes == ("620104",)  # type: ignore[union-attr]
    assert district_codes("城关").codes == ("540102", "620102")  # type: ignore[union-attr]
    assert district_codes("不存在区") is None


def _place(**given: object) -> tuple[str | None, list[tuple[str, str, str]]]:
    notes: list[Note] = []
    values = {"adcode": "", "district": "", "address": "", "point": None, "scope": "", **given}
    code = place_row(adcode=str(values["adcode"]), district=str(values["district"]), address=str(values["address"]),
                     point=values["point"], shown=("", "", "wgs84"), scope=str(values["scope"]),  # type: ignore[arg-type]
                     notes=notes)
    return code, [(n.code, n.field, str(n.params.get("right") or n.params.get("code") or n.params.get("hint")))
                  for n in notes]


def test_a_namesake_district_is_told_apart_by_the_address_or_the_region() -> None:
    assert _place(district="城关区", address="甘肃省兰州市城关区1号", point=CHENGGUAN[0]) == (
        "620102", [("adcode_derived", "adcode", "620102")])
    assert _place(district="城关区", address="张掖路1号", point=CHENGGUAN[0], scope="6201")[0] == "620102"
    assert _place(district="城关区", address="张掖路1号", point=CHENGGUAN[0])[0] == "620102", "the point decides"


def test_a_city_named_alone_takes_its_county_from_the_point() -> None:
    assert _place(address="兰州市张掖路1号", point=CHENGGUAN[0])[0] == "620102"
    assert _place(address="张掖路1号", point=CHENGGUAN[0]) == (None, [("adcode_missing", "adcode", "620102")])


def test_each_disagreement_is_reported_on_the_cell_most_clues_contradict() -> None:
    code_wrong = _place(adcode="620103", address="甘肃省兰州市城关区1号", point=CHENGGUAN[0])
    assert code_wrong == (None, [("adcode_disagrees", "adcode", "620102")])
    district_wrong = _place(adcode="620102", district="七里河区", address="甘肃省兰州市城关区1号", point=CHENGGUAN[0])
    assert district_wrong == (None, [("district_disagrees", "district", "城关区")])
    address_wrong = _place(adcode="620103", address="甘肃省兰州市城关区西津西路1号", point=QILIHE[0])
    assert address_wrong == (None, [("address_disagrees", "address", "甘肃省兰州市七里河区西津西路1号")])
    both_named = _place(district="七里河区", address="甘肃省兰州市城关区1号", point=CHENGGUAN[0])
    assert both_named == (None, [("place_disagrees", "district", "城关区")])


def test_a_code_outside_the_importers_region_is_refused() -> None:
    assert _place(adcode="620103", address="甘肃省兰州市七里河区1号", point=QILIHE[0], scope="620102") == (
        None, [("outside_scope", "adcode", "620103")])
    assert _place(district="七里河区", point=QILIHE[0], scope="620102") == (
        None, [("outside_scope", "adcode", "620103")])


def _row(point: tuple[float, float], probe: int | None = None, code: str = "620102") -> CheckedRow:
    return CheckedRow(2, None, point=point, code=code, assumed=True, matched_probe=probe)


def test_points_that_sit_where_gcj02_input_would_are_noticed() -> None:
    amap = [wgs84_to_gcj02(*p) for p in CHENGGUAN[:3]]
    one_twin = datum.looks_gcj02([_row(amap[0], AS_WGS84), _row(amap[1]), _row(amap[2])])
    assert one_twin is not None and one_twin.count == 1 and 200 < one_twin.low < 240
    assert datum.looks_gcj02([_row(amap[0], AS_WGS84), _row(amap[1], AT), _row(amap[2], AT)]) is None, \
        "two rows match what is registered as given: the file is WGS-84"
    assert datum.looks_gcj02([_row(p) for p in CHENGGUAN]) is None, "points well inside their county say nothing"
