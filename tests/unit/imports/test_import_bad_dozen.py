"""tests/scenarios/bad_dozen/ seeds mistakes in every file; one run must report
every one of them at its file, line and field, and nothing else."""

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.imports import ScenarioErrors, load_scenario, read_scenario

EXPECTED = [
    ("scenario.toml", 14, "service.chat.service_level", "1.5 is out of range"),
    ("scenario.toml", 17, "service.chat.model", "'erlang_b' is not a queueing model"),
    ("scenario.toml", 19, "service.email.response_hours", "0 is not positive"),
    ("scenario.toml", 22, "staffing.shrinkage", "1.0 is out of range"),
    ("scenario.toml", 26, "coverage.always_on[1]", "'xx' is not an ISO 639-1 code"),
    ("scenario.toml", 31, "rules.max_consecutive_days", "-1 is not positive"),
    ("scenario.toml", 38, "sites[0].region", "'EMEA' is not a region"),
    ("scenario.toml", 40, "sites[0].timezone", "'Europe/Dublinn' is not an IANA time zone"),
    ("scenario.toml", 41, "sites[0].extra_holidays[0]", "'31/10/2027' is not a date"),
    ("scenario.toml", 45, "sites[0].shifts[1].start", "'3pm' is not a time of day"),
    ("scenario.toml", 53, "sites[1].subdivision", "'XX' is not a subdivision of DE"),
    ("scenario.toml", 57, "sites[1].shifts[1].id", "'day' repeats the shift id on line 56"),
    ("scenario.toml", 57, "sites[1].shifts[1].hours", "26 is more than 24"),
    ("scenario.toml", 60, "sites[1].rules.work_on_public_holidays", "'yes' is not true or false"),
    ("scenario.toml", 63, "sites[2].id", "'ber' repeats the site id on line 49"),
    ("scenario.toml", 66, "sites[2].country", "'ZZ' is not a country"),
    ("agents.csv", 3, "site", "'lhr' is not a site in scenario.toml (expected one of: dub, ber)"),
    ("agents.csv", 4, "languages", "'en;xx' has 'xx', which is not an ISO 639-1 code"),
    ("agents.csv", 5, "id", "'D01' repeats the agent id on line 2"),
    ("agents.csv", 6, "hours_per_week", "'0' is not positive"),
    ("agents.csv", 7, "shifts", "'night' is not a shift of site 'dub'"),
    ("agents.csv", 8, "hours_per_week", "empty cell"),
    ("forecast.csv", 3, "interval_start", "'2027-10-30T08:00:00' has no UTC offset"),
    ("forecast.csv", 4, "interval_start", "'2027-10-30T08:10:00Z' is not on the 60-minute"),
    ("forecast.csv", 5, "interval_start", "'2027-11-05T00:00:00Z' is outside the horizon"),
    ("forecast.csv", 6, "channel", "'fax' is not a channel"),
    ("forecast.csv", 7, "volume", "'-3' is negative"),
    ("forecast.csv", 8, "aht_seconds", "'0' is zero while the volume is not"),
    ("forecast.csv", 9, "volume", "'lots' is not a number"),
    ("forecast.csv", 10, "interval_start", "'2027-10-30T09:00:00+01:00' repeats the en phone"),
    ("time_off.csv", 2, "agent_id", "'Z99' is not an agent in agents.csv"),
    ("time_off.csv", 3, "end_date", "'2027-10-28' is before start_date 2027-11-03"),
    ("time_off.csv", 4, "start_date", "'31/10/2027' is not a date"),
]


def expected_line(file: str, line: int, field: str, text: str) -> str:
    kind = "column" if file.endswith(".csv") else "key"
    return f"{file}:{line}: {kind} '{field}': {text}"


@pytest.fixture(scope="module")
def errors(request) -> list[str]:
    folder = request.config.rootpath / "tests" / "scenarios" / "bad_dozen"
    with pytest.raises(ScenarioErrors) as raised:
        load_scenario(folder)
    return [str(error) for error in raised.value.errors]


@pytest.mark.parametrize(("file", "line", "field", "text"), EXPECTED)
def test_each_seeded_mistake_is_reported_precisely(errors, file, line, field, text):
    wanted = expected_line(file, line, field, text)
    assert any(error.startswith(wanted) for error in errors), "\n".join(errors)


def test_nothing_but_the_seeded_mistakes_is_reported(errors):
    assert len(errors) == len(EXPECTED)


def test_each_error_says_what_was_expected(errors):
    assert all("(expected " in error for error in errors)


def test_unknown_key_is_only_a_warning(request):
    result = read_scenario(request.config.rootpath / "tests" / "scenarios" / "bad_dozen")
    assert [str(warning) for warning in result.warnings] == [
        "scenario.toml:42: key 'sites[0].colour': 'green' is not a key sunshift reads; "
        "ignored (expected a key listed in docs/scenario-format.md; check the spelling)"
    ]


def test_cli_validate_lists_every_error_and_exits_2(request):
    folder = request.config.rootpath / "tests" / "scenarios" / "bad_dozen"
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    output = result.output  # click >= 8.2 mixes stderr into output
    for file, line, field, text in EXPECTED:
        assert expected_line(file, line, field, text) in output
    assert f"{len(EXPECTED)} errors in {folder}; nothing was imported" in output


def test_cli_validate_on_clean_example_exits_0_with_a_summary(spec_example_dir):
    result = CliRunner().invoke(main, ["validate", str(spec_example_dir)])
    assert result.exit_code == 0, result.output
    assert "Scenario: small follow-the-sun scenario (seed 99)" in result.output
    assert "7 days, Mon 2027-06-07 to Sun 2027-06-13" in result.output
    assert "60-minute intervals (168)" in result.output
    assert "Sites: 5, agents: 40" in result.output
    assert "ber    Berlin" in result.output
    assert "max_consecutive_days 5" in result.output
    assert "Forecast: 1755 rows" in result.output
    assert "Time off: 4 absences of 4 agents" in result.output
