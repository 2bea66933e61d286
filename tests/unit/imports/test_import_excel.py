"""CSV files as Excel saves them import to exactly what the clean files give.

excel_comma/ is "CSV UTF-8" from English Excel (BOM, CRLF, quoted "en; de",
odd header case and spacing, empty trailing rows); excel_semicolon/ is the
European variant (`;` between cells, decimal commas such as 37,5).
"""

import shutil

import pytest

from scheduler.imports import load_scenario, read_scenario


@pytest.mark.parametrize("variant", ["excel_comma", "excel_semicolon"])
def test_excel_variant_imports_identically_to_clean(scenarios_dir, variant):
    clean = load_scenario(scenarios_dir / "excel_clean")
    result = read_scenario(scenarios_dir / variant)
    assert result.errors == ()
    assert result.warnings == ()
    assert result.scenario == clean


@pytest.mark.parametrize("variant", ["excel_comma", "excel_semicolon"])
def test_excel_fixtures_really_are_excel_shaped(scenarios_dir, variant):
    """Guards the test above: an editor that "fixes" these files would hollow it out."""
    data = (scenarios_dir / variant / "agents.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    assert b"; " in data
    if variant == "excel_semicolon":
        assert data.splitlines()[0].count(b";") == 6
        assert b"37,5" in data


def test_clean_scenario_values(scenarios_dir):
    scenario = load_scenario(scenarios_dir / "excel_clean")
    niamh = scenario.agent("D03")
    assert niamh.languages == ("en", "de")
    assert niamh.shift_ids == ("early", "late")  # the site's order, not the cell's
    assert scenario.agent("D02").hours_per_week == 37.5
    assert scenario.agent("D01").email == "aoife@example.com"
    assert scenario.time_off_of("D03")[0].reason == "training, off site"
    assert scenario.chat.model == "erlang_a"
    assert scenario.chat.patience_seconds == 120
    assert scenario.site("ber").rules.work_on_public_holidays is True
    assert scenario.site("dub").rules.work_on_public_holidays is False


def test_offsets_other_than_z_are_converted_to_utc(scenarios_dir):
    scenario = load_scenario(scenarios_dir / "excel_clean")
    email = next(row for row in scenario.forecast if row.channel == "email")
    assert email.interval_start_utc.isoformat() == "2027-10-30T08:00:00+00:00"


def test_tab_separated_utf16_unicode_text_is_read(scenarios_dir, tmp_path):
    folder = tmp_path / "scenario"
    shutil.copytree(scenarios_dir / "excel_clean", folder)
    agents = folder / "agents.csv"
    text = agents.read_text(encoding="utf-8").replace(",", "\t")
    agents.write_bytes(text.encode("utf-16"))
    assert load_scenario(folder) == load_scenario(scenarios_dir / "excel_clean")


def test_windows_1252_file_is_read_with_a_warning(scenarios_dir, tmp_path):
    folder = tmp_path / "scenario"
    shutil.copytree(scenarios_dir / "excel_clean", folder)
    agents = folder / "agents.csv"
    agents.write_bytes(agents.read_text(encoding="utf-8").encode("cp1252"))
    result = read_scenario(folder)
    assert result.errors == ()
    assert result.scenario.agent("B01").name == "Jürgen Weiß"
    assert [str(warning).split(":")[0] for warning in result.warnings] == ["agents.csv"]
    assert "not UTF-8" in str(result.warnings[0])


def test_file_names_in_another_case_are_found(scenarios_dir, tmp_path):
    folder = tmp_path / "scenario"
    shutil.copytree(scenarios_dir / "excel_clean", folder)
    (folder / "agents.csv").rename(folder / "Agents.CSV")
    assert load_scenario(folder) == load_scenario(scenarios_dir / "excel_clean")
