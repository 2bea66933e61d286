"""[markets] and [service.messaging] in scenario.toml: every mistake reported at once,
with its line, key and what was expected; a good table reaches the scenario."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.domain import EmailService, QueueService
from scheduler.imports import ScenarioErrors, load_scenario, read_scenario
from tests.unit.requirements.market_scenarios import write_scenario

BAD_MARKETS = """[markets]
holiday_factor = -1
[markets.german]
countries = { DE = 1 }
[markets.en]
countries = { GB = 0.5, US = 0.4 }
timezones = { FR = "Europe/Paris", US = "America/Chikago" }
holiday_factors = { "2027-13-01" = 0.5, 2027-05-04 = "half" }
[markets.en.phone]
service_level = 2
[markets.en.messaging]
response_hours = 0
[markets.ja]
countries = { XX = 1 }
"""


def test_every_market_mistake_is_reported_at_once(tmp_path: Path) -> None:
    folder = write_scenario(
        tmp_path / "bad", "2027-05-03", 1, [("en", "phone", 40, 300)], BAD_MARKETS
    )
    with pytest.raises(ScenarioErrors) as raised:
        load_scenario(folder)
    assert [str(error) for error in raised.value.errors] == [
        "scenario.toml:28: key 'markets.holiday_factor': -1 is negative "
        "(expected a factor >= 0, such as 0.3 (demand on the day x 0.3))",
        "scenario.toml:29: key 'markets.german': 'german' is not an ISO 639-1 code (expected a "
        "two-letter ISO 639-1 language code, such as en, de or ja; did you mean 'de' (German)?)",
        "scenario.toml:32: key 'markets.en.countries': {GB = 0.5, US = 0.4} has shares summing "
        "to 0.9 (expected a table of country shares summing to 1, such as { DE = 0.8, AT = 0.2 })",
        "scenario.toml:33: key 'markets.en.timezones.FR': 'FR' is not in countries "
        "(expected a country listed in countries)",
        "scenario.toml:33: key 'markets.en.timezones.US': 'America/Chikago' is not an IANA time "
        'zone (expected an IANA time zone such as "Europe/Dublin")',
        "scenario.toml:34: key 'markets.en.holiday_factors.2027-13-01': '2027-13-01' is not a "
        "date (expected a date written YYYY-MM-DD, such as 2027-03-08)",
        "scenario.toml:34: key 'markets.en.holiday_factors.2027-05-04': 'half' is not a number "
        "(expected a number such as 20 or 0.8)",
        "scenario.toml:36: key 'markets.en.phone.service_level': 2 is out of range "
        "(expected a number in (0, 1])",
        "scenario.toml:38: key 'markets.en.messaging.response_hours': 0 is not positive "
        "(expected hours > 0)",
        "scenario.toml:40: key 'markets.ja.countries.XX': 'XX' is not a country the holidays "
        'library knows (expected an ISO 3166-1 alpha-2 code such as "IE", "DE" or "JP")',
    ]


def test_a_market_table_that_is_not_a_table_and_a_bad_messaging_window(tmp_path: Path) -> None:
    folder = write_scenario(
        tmp_path / "bad2",
        "2027-05-03",
        1,
        [("en", "messaging", 4, 300)],
        '[service.messaging]\nresponse_hours = "two days"\n[markets]\nja = 5\n',
    )
    errors = [str(error) for error in read_scenario(folder).errors]
    assert errors == [
        "scenario.toml:28: key 'service.messaging.response_hours': 'two days' is not a number "
        "(expected a number such as 20 or 0.8)",
        "scenario.toml:30: key 'markets.ja': 5 is not a table (expected a [markets.ja] table)",
    ]


def test_good_markets_reach_the_scenario_merged_over_the_scenario_targets(
    tmp_path: Path,
) -> None:
    folder = write_scenario(
        tmp_path / "good",
        "2027-05-03",
        1,
        [("en", "phone", 40, 300), ("en", "messaging", 4, 300)],
        """[service.messaging]
response_hours = 24
[markets]
holiday_factor = 0.3
[markets.de]
countries = { de = 0.8, AT = 0.1, CH = 0.1 }
colour = "blue"
[markets.de.holiday_factors]
"2027-12-24" = 0.5
[markets.en]
countries = { GB = 0.6, US = 0.4 }
timezones = { US = "America/Chicago" }
holiday_factor = 0.5
[markets.en.phone]
answer_seconds = 300
[markets.en.messaging]
response_hours = 48
""",
    )
    result = read_scenario(folder)
    assert result.errors == ()
    assert [str(w) for w in result.warnings] == [
        "scenario.toml:33: key 'markets.de.colour': 'blue' is not a key sunshift reads; ignored "
        "(expected a key listed in docs/scenario-format.md; check the spelling)"
    ]
    scenario = result.scenario
    assert scenario.messaging == EmailService(24)
    de, en = scenario.markets.by_language
    assert de.countries == (("DE", 0.8), ("AT", 0.1), ("CH", 0.1))
    assert de.holiday_factor == 0.3  # the scenario's default
    assert de.holiday_factors == ((date(2027, 12, 24), 0.5),)
    assert de.phone is None and de.messaging is None
    assert en.holiday_factor == 0.5
    assert en.timezones == (("US", "America/Chicago"),)
    assert en.phone == QueueService(service_level=0.8, answer_seconds=300)
    assert en.messaging == EmailService(48)


def test_a_scenario_without_markets_has_none(spec_example_dir: Path) -> None:
    scenario = load_scenario(spec_example_dir)
    assert scenario.markets.by_language == ()
    assert scenario.messaging == EmailService(24)
