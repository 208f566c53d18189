"""`stations users add|list|disable` and `stations import FILE` (dry run) against the test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from stations.cli import main
from stations.errors import InvalidInput
from stations.services.registry.stations import check_address

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "import_sample_gb18030.csv"


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI pointed at the test database, the cheap hash profile; accounts it adds are removed after."""
    monkeypatch.setenv("STATIONS_DATABASE_URL", database_url)
    monkeypatch.setenv("STATIONS_PASSWORD_HASH_COST", "test")
    monkeypatch.setenv("STATIONS_LOG_FORMAT", "console")
    yield database_url
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM staff_users WHERE username LIKE 'cli-%'"))
    engine.dispose()


def test_users_add_list_disable(cli_env: str) -> None:
    runner = CliRunner()
    added = runner.invoke(main, ["users", "add", "cli-chengguan", "--role", "editor", "--region", "620102",
                                 "--password", "long-enough-password"])
    assert added.exit_code == 0, added.output
    assert "cli-chengguan (editor 620102)" in added.output
    no_region = runner.invoke(main, ["users", "add", "cli-x", "--role", "editor", "--password", "long-enough-pw"])
    assert no_region.exit_code != 0 and "needs a region" in no_region.output
    assert "cli-chengguan\teditor\t620102\tactive" in runner.invoke(main, ["users", "list"]).output
    assert runner.invoke(main, ["users", "disable", "cli-chengguan"]).exit_code == 0
    assert "cli-chengguan\teditor\t620102\tdisabled" in runner.invoke(main, ["users", "list"]).output
    missing = runner.invoke(main, ["users", "disable", "cli-nobody"])
    assert missing.exit_code == 1 and "no staff account" in missing.output


def test_import_dry_run_prints_the_report(cli_env: str) -> None:
    result = CliRunner().invoke(main, ["import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "第 6 行 错误 [经度]: 经度和纬度填反了：经度应为 114.486，纬度应为 38.041 → 114.486" in result.output
    assert ("第 9 行 错误 [开放时间]: “早8点到晚6点”不是 opening_hours 格式的开放时间 → "
            "Mo-Su 08:00-18:00") in result.output
    assert "共 13 行：6 行可导入，5 行有错误，1 行重复（跳过），1 行空行，0 行合计或表尾（跳过）" in result.output
    assert "没有写入任何站点" in result.output
    english = CliRunner().invoke(main, ["import", str(SAMPLE), "--lang", "en"])
    assert ("row 6 error [经度]: longitude and latitude are swapped: longitude 114.486, latitude 38.041"
            in english.output)
    assert "13 rows: 6 valid, 5 rejected, 1 duplicates skipped, 1 empty" in english.output


@pytest.mark.parametrize(
    ("address", "adcode", "ok"),
    [
        ("甘肃省兰州市城关区示例路1号", "620102", True),
        ("北京路12号", "620102", True),  # a street named after a province, not the province
        ("兰州市城关区上海街3号", "620102", True),
        ("河北省石家庄市长安区1号", "620102", False),
        ("河北石家庄市长安区1号", "620102", False),
        ("内蒙古自治区呼和浩特市1号", "150102", True),
    ],
)
def test_address_is_checked_against_the_adcodes_province(address: str, adcode: str, ok: bool) -> None:
    if ok:
        check_address(address=address, adcode=adcode)
    else:
        with pytest.raises(InvalidInput, match="but region code"):
            check_address(address=address, adcode=adcode)


def test_users_add_with_a_city_code_stores_the_city(cli_env: str) -> None:
    added = CliRunner().invoke(main, ["users", "add", "cli-lanzhou", "--role", "editor", "--region", "620100",
                                      "--password", "long-enough-password"])
    assert added.exit_code == 0, added.output
    assert "cli-lanzhou (editor 6201)" in added.output
