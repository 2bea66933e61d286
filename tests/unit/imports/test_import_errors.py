"""One focused case per kind of mistake: a clean scenario with one edit must be
rejected with exactly that error, at the right file, line and field."""

import pytest

from scheduler.imports import ScenarioErrors, load_scenario, read_scenario


def only_error(folder) -> str:
    with pytest.raises(ScenarioErrors) as raised:
        load_scenario(folder)
    errors = [str(error) for error in raised.value.errors]
    assert len(errors) == 1, "\n".join(errors)
    return errors[0]


TOML = "scenario.toml"
CASES = [
    # horizon
    (TOML, "days = 2", "days = 0", "scenario.toml:7: key 'horizon.days': 0 is not positive"),
    (TOML, "days = 2", "days = 2.5", "scenario.toml:7: key 'horizon.days': 2.5 is not a whole"),
    (TOML, "days = 2", 'days = "2"', "scenario.toml:7: key 'horizon.days': '2' is not a whole"),
    (
        TOML,
        "interval_minutes = 60",
        "interval_minutes = 45",
        "scenario.toml:8: key 'horizon.interval_minutes': 45 is not an interval length "
        "(expected 15, 30 or 60",
    ),
    (
        TOML,
        "start = 2027-10-30",
        'start = "30.10.2027"',
        "scenario.toml:6: key 'horizon.start': '30.10.2027' is not a date",
    ),
    (
        TOML,
        "start = 2027-10-30",
        "start = 2027-10-30T08:00:00",
        "scenario.toml:6: key 'horizon.start': 2027-10-30T08:00:00 is a date and time",
    ),
    (TOML, "days = 2\n", "", "scenario.toml:5: key 'horizon.days': missing key"),
    # services
    (
        TOML,
        "service_level = 0.80",
        "service_level = 0",
        "scenario.toml:11: key 'service.phone.service_level': 0 is out of range "
        "(expected a number in (0, 1]",
    ),
    (
        TOML,
        "answer_seconds = 20",
        "answer_seconds = -5",
        "scenario.toml:12: key 'service.phone.answer_seconds': -5 is not positive",
    ),
    (
        TOML,
        "concurrency = 2",
        "concurrency = 0",
        "scenario.toml:16: key 'service.chat.concurrency': 0 is not positive",
    ),
    (
        TOML,
        'model = "erlang_a"',
        'model = "erlang_x"',
        "scenario.toml:17: key 'service.chat.model': 'erlang_x' is not a queueing model "
        "(expected erlang_c or erlang_a)",
    ),
    (
        TOML,
        "patience_seconds = 120\n",
        "",
        "scenario.toml:13: key 'service.chat.patience_seconds': missing key "
        "(expected seconds > 0: the erlang_a model needs",
    ),
    (
        TOML,
        "patience_seconds = 120",
        "patience_seconds = 0",
        "scenario.toml:18: key 'service.chat.patience_seconds': 0 is not positive",
    ),
    (
        TOML,
        "response_hours = 8",
        "response_hours = -1",
        "scenario.toml:20: key 'service.email.response_hours': -1 is not positive",
    ),
    (
        TOML,
        "shrinkage = 0.25",
        "shrinkage = -0.1",
        "scenario.toml:23: key 'staffing.shrinkage': -0.1 is out of range "
        "(expected a number in [0, 1)",
    ),
    (
        TOML,
        "max_occupancy = 0.9",
        "max_occupancy = 1.2",
        "scenario.toml:24: key 'staffing.max_occupancy': 1.2 is out of range "
        "(expected a number in (0, 1]",
    ),
    # coverage
    (
        TOML,
        'always_on = ["en", "de"]',
        'always_on = ["en", "ger"]',
        "scenario.toml:27: key 'coverage.always_on[1]': 'ger' is not an ISO 639-1 code "
        "(expected a two-letter ISO 639-1 language code, such as en, de or ja; "
        "did you mean 'de' (German)?)",
    ),
    (
        TOML,
        "min_agents = 1",
        "min_agents = -1",
        "scenario.toml:28: key 'coverage.min_agents': -1 is negative",
    ),
    # rules
    (
        TOML,
        "min_rest_hours = 11",
        "min_rest_hours = -11",
        "scenario.toml:31: key 'rules.min_rest_hours': -11 is negative",
    ),
    (
        TOML,
        "max_consecutive_days = 6",
        "max_consecutive_days = 5.5",
        "scenario.toml:32: key 'rules.max_consecutive_days': 5.5 is not a whole number",
    ),
    (
        TOML,
        "min_days_off_per_week = 2",
        "min_days_off_per_week = 8",
        "scenario.toml:33: key 'rules.min_days_off_per_week': 8 is more than 7",
    ),
    (
        TOML,
        "work_on_public_holidays = false",
        "work_on_public_holidays = 0",
        "scenario.toml:34: key 'rules.work_on_public_holidays': 0 is not true or false",
    ),
    (
        TOML,
        "max_consecutive_days = 5",
        "max_consecutive_days = -5",
        "scenario.toml:57: key 'sites[1].rules.max_consecutive_days': -5 is not positive",
    ),
    # sites
    (
        TOML,
        'timezone = "Europe/Berlin"',
        'timezone = "europe/berlin"',
        "scenario.toml:54: key 'sites[1].timezone': 'europe/berlin' is not an IANA time zone "
        '(expected an IANA time zone such as "Europe/Dublin"; did you mean "Europe/Berlin"?)',
    ),
    (
        TOML,
        'timezone = "Europe/Berlin"',
        'timezone = "CET+1"',
        "scenario.toml:54: key 'sites[1].timezone': 'CET+1' is not an IANA time zone",
    ),
    (
        TOML,
        'country = "IE"',
        'country = "XY"',
        "scenario.toml:40: key 'sites[0].country': 'XY' is not a country the holidays library",
    ),
    (
        TOML,
        'subdivision = "BE"',
        'subdivision = "ON"',
        "scenario.toml:53: key 'sites[1].subdivision': 'ON' is not a subdivision of DE",
    ),
    (
        TOML,
        'region = "EU"\ncountry = "IE"',
        'region = "Europe"\ncountry = "IE"',
        "scenario.toml:39: key 'sites[0].region': 'Europe' is not a region "
        "(expected one of NA, EU, APAC)",
    ),
    (
        TOML,
        "hours = 8 }]\n",
        'hours = 8 }]\n[[sites]]\nid = "dub"\nregion = "EU"\ncountry = "IE"\n'
        'timezone = "Europe/Dublin"\nshifts = [{ id = "x", start = "08:00", hours = 8 }]\n',
        "scenario.toml:57: key 'sites[2].id': 'dub' repeats the site id on line 37",
    ),
    (
        TOML,
        "hours = 8 }]",
        'hours = 8 }, { id = "day", start = "10:00", hours = 6 }]',
        "scenario.toml:55: key 'sites[1].shifts[2].id': 'day' repeats the shift id on line 55",
    ),
    (
        TOML,
        "hours = 8.5",
        "hours = 0",
        "scenario.toml:45: key 'sites[0].shifts[1].hours': 0 is not positive",
    ),
    (
        TOML,
        "hours = 8.5",
        "hours = 24.5",
        "scenario.toml:45: key 'sites[0].shifts[1].hours': 24.5 is more than 24",
    ),
    (
        TOML,
        'start = "15:00"',
        'start = "15h00"',
        "scenario.toml:45: key 'sites[0].shifts[1].start': '15h00' is not a time of day",
    ),
    (
        TOML,
        'start = "15:00"',
        'start = "24:00"',
        "scenario.toml:45: key 'sites[0].shifts[1].start': '24:00' is not a time of day",
    ),
    (
        TOML,
        "extra_holidays = [2027-10-31]",
        'extra_holidays = [2027-10-31, "Halloween"]',
        "scenario.toml:42: key 'sites[0].extra_holidays[1]': 'Halloween' is not a date",
    ),
    (
        TOML,
        'timezone = "Europe/Dublin"\n',
        "",
        "scenario.toml:36: key 'sites[0].timezone': missing key",
    ),
    # agents.csv
    (
        "agents.csv",
        "D02,Seán Ó Briain,dub",
        "D02,Seán Ó Briain,lhr",
        "agents.csv:3: column 'site': 'lhr' is not a site in scenario.toml "
        "(expected one of: dub, ber)",
    ),
    (
        "agents.csv",
        "B01,Jürgen Weiß,ber,de,40,,day",
        "B01,Jürgen Weiß,ber,de,40,,early",
        "agents.csv:5: column 'shifts': 'early' is not a shift of site 'ber' in scenario.toml "
        "(expected shift ids of ber: day, night)",
    ),
    (
        "agents.csv",
        "B03,Kai Schmidt",
        "D01,Kai Schmidt",
        "agents.csv:7: column 'id': 'D01' repeats the agent id on line 2",
    ),
    (
        "agents.csv",
        "B01,Jürgen Weiß,ber,de,",
        "B01,Jürgen Weiß,ber,deu,",
        "agents.csv:5: column 'languages': 'deu' has 'deu', which is not an ISO 639-1 code",
    ),
    (
        "agents.csv",
        "B01,Jürgen Weiß,ber,de,40",
        "B01,Jürgen Weiß,ber,de,-40",
        "agents.csv:5: column 'hours_per_week': '-40' is not positive",
    ),
    (
        "agents.csv",
        "B01,Jürgen Weiß,ber,de,40",
        "B01,Jürgen Weiß,ber,de,forty",
        "agents.csv:5: column 'hours_per_week': 'forty' is not a number",
    ),
    (
        "agents.csv",
        "B01,Jürgen Weiß,ber,de,40",
        "B01,Jürgen Weiß,ber,de,200",
        "agents.csv:5: column 'hours_per_week': '200' is more than the 168 hours of a week",
    ),
    (
        "agents.csv",
        "B01,Jürgen Weiß,ber,de,40",
        "B01,Jürgen Weiß,,de,40",
        "agents.csv:5: column 'site': empty cell",
    ),
    (
        "agents.csv",
        "D02,Seán Ó Briain,dub,en;fr,37.5,,early",
        "D02,Seán Ó Briain,dub,en;fr,37.5,,early,extra",
        "agents.csv:3: 'extra' is in a cell without a column name",
    ),
    # forecast.csv
    (
        "forecast.csv",
        "2027-10-30T08:00:00Z,de,phone",
        "Oct 30 2027 8am,de,phone",
        "forecast.csv:4: column 'interval_start': 'Oct 30 2027 8am' is not an ISO 8601",
    ),
    (
        "forecast.csv",
        "2027-10-30T08:00:00Z,de,phone",
        "2027-10-30 08:00,de,phone",
        "forecast.csv:4: column 'interval_start': '2027-10-30 08:00' has no UTC offset",
    ),
    (
        "forecast.csv",
        "2027-10-30T08:00:00Z,de,phone",
        "2027-10-30T08:30:00Z,de,phone",
        "forecast.csv:4: column 'interval_start': '2027-10-30T08:30:00Z' is not on the "
        "60-minute interval grid",
    ),
    (
        "forecast.csv",
        "2027-10-30T08:00:00Z,de,phone",
        "2027-10-29T23:00:00Z,de,phone",
        "forecast.csv:4: column 'interval_start': '2027-10-29T23:00:00Z' is outside the horizon "
        "(expected an interval start in [2027-10-30T00:00Z, 2027-11-01T00:00Z))",
    ),
    (
        "forecast.csv",
        "2027-10-30T08:00:00Z,de,phone",
        "2027-11-01T00:00:00Z,de,phone",
        "forecast.csv:4: column 'interval_start': '2027-11-01T00:00:00Z' is outside the horizon",
    ),
    (
        "forecast.csv",
        "de,phone,4,300",
        "jp,phone,4,300",
        "forecast.csv:4: column 'language': 'jp' is not an ISO 639-1 code",
    ),
    (
        "forecast.csv",
        "de,phone,4,300",
        "de,sms,4,300",
        "forecast.csv:4: column 'channel': 'sms' is not a channel "
        "(expected phone, chat, email or messaging)",
    ),
    (
        "forecast.csv",
        "de,phone,4,300",
        "de,phone,-4,300",
        "forecast.csv:4: column 'volume': '-4' is negative",
    ),
    (
        "forecast.csv",
        "de,phone,4,300",
        "de,phone,4,-300",
        "forecast.csv:4: column 'aht_seconds': '-300' is negative",
    ),
    (
        "forecast.csv",
        "de,phone,4,300",
        "de,phone,4,5 min",
        "forecast.csv:4: column 'aht_seconds': '5 min' is not a number",
    ),
    (
        "forecast.csv",
        "de,phone,4,300",
        "de,phone,4,0",
        "forecast.csv:4: column 'aht_seconds': '0' is zero while the volume is not",
    ),
    (
        "forecast.csv",
        "2027-10-30T08:00:00Z,de,phone",
        "2027-10-30T09:00:00+01:00,en,phone",
        "forecast.csv:4: column 'interval_start': '2027-10-30T09:00:00+01:00' repeats the "
        "en phone row on line 2",
    ),
    # time_off.csv
    (
        "time_off.csv",
        "B02,2027-10-28",
        "B99,2027-10-28",
        "time_off.csv:3: column 'agent_id': 'B99' is not an agent in agents.csv",
    ),
    (
        "time_off.csv",
        "2027-10-28,2027-11-03",
        "2027-11-03,2027-10-28",
        "time_off.csv:3: column 'end_date': '2027-10-28' is before start_date 2027-11-03",
    ),
    (
        "time_off.csv",
        "2027-10-28,2027-11-03",
        "2027-10-28,2027-11-31",
        "time_off.csv:3: column 'end_date': '2027-11-31' is not a date",
    ),
    (
        "time_off.csv",
        "2027-10-28,2027-11-03",
        "28.10.2027,2027-11-03",
        "time_off.csv:3: column 'start_date': '28.10.2027' is not a date "
        "(expected a date written YYYY-MM-DD",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    CASES,
    ids=[f"{case[0]}:{case[3].split(': ', 2)[-1][:40]}" for case in CASES],
)
def test_single_mistake_gives_exactly_its_error(edit, file, old, new, expected):
    assert only_error(edit(file, old, new)).startswith(expected)


def test_toml_syntax_error_names_its_line(edit):
    folder = edit(TOML, "min_agents = 1", "min_agents = ")
    assert only_error(folder).startswith(
        "scenario.toml:28: TOML syntax error: Invalid value at column 14"
    )


def test_toml_syntax_error_does_not_hide_csv_errors(edit):
    edit(TOML, "min_agents = 1", "min_agents = ")
    folder = edit("agents.csv", "B01,Jürgen Weiß,ber,de,40", "B01,Jürgen Weiß,ber,de,-40")
    errors = [str(error) for error in read_scenario(folder).errors]
    assert len(errors) == 2
    assert errors[1].startswith("agents.csv:5: column 'hours_per_week': '-40' is not positive")


@pytest.mark.parametrize("file", ["scenario.toml", "agents.csv"])
def test_missing_required_file(clean_copy, file):
    (clean_copy / file).unlink()
    assert only_error(clean_copy).startswith(f"{file}: missing file")


def test_missing_demand_file_needs_forecast_or_required(clean_copy):
    (clean_copy / "forecast.csv").unlink()
    assert only_error(clean_copy) == (
        "forecast.csv: missing file (expected forecast.csv or required.csv (at least one of them))"
    )


def test_missing_folder(tmp_path):
    message = only_error(tmp_path / "nowhere")
    assert message.endswith("nowhere: no such folder (expected a scenario folder)")


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("[horizon]\nstart = 2027-10-30\ndays = 2\ninterval_minutes = 60\n", "horizon"),
        ("[[sites]]\n", "sites"),
    ],
)
def test_missing_horizon_or_sites_is_an_error(clean_copy, table, expected):
    path = clean_copy / TOML
    text = path.read_text()
    text = text[: text.index(table)] if expected == "sites" else text.replace(table, "")
    path.write_text(text)
    errors = [str(error) for error in read_scenario(clean_copy).errors]
    assert errors[0].startswith(f"scenario.toml: key '{expected}': missing ")


def test_missing_column_is_reported_on_the_header_line(clean_copy):
    path = clean_copy / "agents.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    without_hours = [",".join(line.split(",")[:4] + line.split(",")[5:]) for line in lines]
    path.write_text("\n".join(without_hours) + "\n", encoding="utf-8")
    assert only_error(clean_copy).startswith(
        "agents.csv:1: column 'hours_per_week': missing column "
        "(expected a header with the columns id, name, site, languages, hours_per_week)"
    )


def test_required_must_be_a_whole_number_of_agents(clean_copy):
    (clean_copy / "required.csv").write_text(
        "interval_start,language,required\n"
        "2027-10-30T08:00:00Z,en,3\n"
        "2027-10-30T08:00:00Z,de,1.5\n"
        "2027-10-30T09:00:00Z,de,-1\n"
        "2027-10-30T09:00:00Z,en,\n"
        "2027-10-30T08:00:00Z,en,2\n"
    )
    errors = [str(error) for error in read_scenario(clean_copy).errors]
    assert [error.split(" (expected")[0] for error in errors] == [
        "required.csv:3: column 'required': '1.5' is not a whole number",
        "required.csv:4: column 'required': '-1' is negative",
        "required.csv:5: column 'required': empty cell",
        "required.csv:6: column 'interval_start': '2027-10-30T08:00:00Z' repeats the en row "
        "on line 2",
    ]


def test_forecast_phone_volume_needs_a_phone_target(edit):
    folder = edit(TOML, "[service.phone]\nservice_level = 0.80\nanswer_seconds = 20\n", "")
    assert only_error(folder).startswith(
        "scenario.toml:10: key 'service.phone': missing table "
        "(expected a [service.phone] table with service_level and answer_seconds, "
        "since forecast.csv has phone volume)"
    )
