"""What the format leaves open: extra keys and columns, optional tables and files."""

from datetime import UTC, datetime

import pytest

from scheduler.domain import Coverage, EmailService, Rules, Staffing
from scheduler.imports import ScenarioErrors, load_scenario, read_scenario
from scheduler.imports.errors import InputError


def test_unknown_keys_and_columns_warn_but_load(edit):
    edit("scenario.toml", "days = 2", 'days = 2\nnote = "pilot"')
    edit("scenario.toml", "min_rest_hours = 11", "min_rest_hour = 12")
    folder = edit("agents.csv", "email,shifts", "email,shifts,team")
    result = read_scenario(folder)
    assert result.errors == ()
    assert load_scenario(folder).rules.min_rest_hours == 11  # the typo is not applied...
    warned = [str(warning) for warning in result.warnings]
    assert warned[0].startswith("scenario.toml:8: key 'horizon.note': 'pilot' is not a key")
    assert warned[1].startswith("scenario.toml:32: key 'rules.min_rest_hour': 12 is not a key")
    assert warned[2].startswith("agents.csv:1: column 'team': unknown column, ignored")


def test_optional_tables_fall_back_to_defaults(clean_copy):
    path = clean_copy / "scenario.toml"
    text = path.read_text()
    cut_from, cut_to = text.index("[service.phone]"), text.index("[[sites]]")
    path.write_text(text[:cut_from] + text[cut_to:])
    (clean_copy / "forecast.csv").unlink()
    (clean_copy / "required.csv").write_text("interval_start,language,required\n")
    scenario = load_scenario(clean_copy)
    assert scenario.staffing == Staffing()
    assert scenario.coverage == Coverage()
    assert scenario.email == EmailService(response_hours=24)
    assert scenario.rules == Rules()
    assert scenario.site("dub").rules == Rules()
    assert scenario.site("ber").rules.max_consecutive_days == 5
    assert scenario.phone.concurrency == 1
    assert scenario.forecast is None
    assert scenario.required == ()


def test_optional_site_keys_default(edit):
    folder = edit("scenario.toml", 'name = "Dublin"\n', "")
    scenario = load_scenario(folder)
    dublin = scenario.site("dub")
    assert (dublin.name, dublin.subdivision) == ("dub", "")


def test_time_off_file_is_optional(clean_copy):
    (clean_copy / "time_off.csv").unlink()
    assert load_scenario(clean_copy).time_off == ()


def test_both_forecast_and_required_are_loaded(clean_copy):
    (clean_copy / "required.csv").write_text(
        "interval_start,language,required\n2027-10-30T08:00:00Z,en,3\n2027-10-30T09:00:00Z,de,0\n"
    )
    scenario = load_scenario(clean_copy)
    assert len(scenario.forecast) == 6
    assert [(row.interval_start_utc, row.language, row.required) for row in scenario.required] == [
        (datetime(2027, 10, 30, 8, tzinfo=UTC), "en", 3),
        (datetime(2027, 10, 30, 9, tzinfo=UTC), "de", 0),
    ]


def test_erlang_c_is_the_default_model(edit):
    folder = edit("scenario.toml", 'model = "erlang_a"\npatience_seconds = 120\n', "")
    chat = load_scenario(folder).chat
    assert (chat.model, chat.patience_seconds, chat.concurrency) == ("erlang_c", None, 2)


def test_language_codes_are_lowercased(edit):
    folder = edit("agents.csv", "B01,Jürgen Weiß,ber,de,", "B01,Jürgen Weiß,ber,DE; En,")
    assert load_scenario(folder).agent("B01").languages == ("de", "en")


def test_demand_nobody_speaks_is_a_warning(edit):
    folder = edit("forecast.csv", "fr,chat,0,0", "ja,chat,2,300")
    result = read_scenario(folder)
    assert result.scenario is not None
    assert [str(warning) for warning in result.warnings] == [
        "forecast.csv: column 'language': 'ja' has demand in 1 row but no agent speaks it "
        "(expected a language some agent in agents.csv speaks)"
    ]


def test_report_lists_each_error_then_a_count(edit):
    folder = edit("forecast.csv", "de,phone,4,300", "de,fax,4,300")
    with pytest.raises(ScenarioErrors) as raised:
        load_scenario(folder)
    assert raised.value.report().splitlines() == [
        "forecast.csv:4: column 'channel': 'fax' is not a channel "
        "(expected phone, chat, email or messaging)",
        f"1 error in {folder}; nothing was imported",
    ]


def test_report_shortens_long_runs_of_one_kind():
    errors = [
        InputError("forecast.csv", line, "interval_start", "x", "an ISO time", "is not a time")
        for line in range(2, 102)
    ]
    lines = ScenarioErrors(errors, "big").report().splitlines()
    assert len(lines) == 22
    assert lines[0].startswith("forecast.csv:2: column 'interval_start': 'x' is not a time")
    assert lines[20] == "... and 80 more like these in forecast.csv column 'interval_start'"
    assert lines[21] == "100 errors in big; nothing was imported"


def test_input_error_without_value_or_line():
    error = InputError("agents.csv", None, "", None, "agents.csv in the folder", "missing file")
    assert str(error) == "agents.csv: missing file (expected agents.csv in the folder)"
