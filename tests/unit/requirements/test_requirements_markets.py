"""Each market's calendar and promise: demand falls on its countries' holidays, a
market's own service targets and the messaging channel change the agents needed.
Expected numbers are computed here by hand (the textbook Erlang C sum), not by the
code under test."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from market_scenarios import erlang_c_agents, scheduled, write_scenario

from scheduler.imports import load_scenario
from scheduler.requirements import compute_requirements
from scheduler.requirements.export import write_requirements
from scheduler.requirements.markets import adjusted_forecast

CALLS, AHT = 40, 300  # 3.33 Erlangs per hour


def required_at(folder: Path, language: str, instant: str) -> int:
    scenario = load_scenario(folder)
    table = compute_requirements(scenario)
    index = scenario.horizon.interval_index(datetime.fromisoformat(instant).astimezone(UTC))
    return table.at(language, index)


def test_japanese_demand_falls_on_golden_week_in_japan_local_time(tmp_path: Path) -> None:
    """Children's Day (2027-05-05) runs 2027-05-04T15:00Z to 05-05T15:00Z in Tokyo."""
    folder = write_scenario(
        tmp_path / "ja",
        "2027-05-05",
        2,
        [("ja", "phone", CALLS, AHT)],
        "[markets.ja]\ncountries = { JP = 1.0 }\nholiday_factor = 0.3\n",
    )
    on_holiday = scheduled(erlang_c_agents(CALLS * 0.3, AHT, 20, 0.8))
    after = scheduled(erlang_c_agents(CALLS, AHT, 20, 0.8))
    assert (on_holiday, after) == (4, 8)  # 1.0 Erlang: 3 agents, 3.33: 6 (before shrinkage)
    assert required_at(folder, "ja", "2027-05-05T03:00:00Z") == on_holiday
    assert required_at(folder, "ja", "2027-05-05T14:00:00Z") == on_holiday
    assert required_at(folder, "ja", "2027-05-05T15:00:00Z") == after  # Tokyo: May 6
    # the Dublin site has no holiday: the scenario's sites are untouched by markets
    assert load_scenario(folder).sites[0].extra_holidays == ()


def test_shares_weight_each_country_and_a_listed_date_overrides_the_factor(
    tmp_path: Path,
) -> None:
    """en: half GB (May Day 2027-05-03 in London), half US (no holiday). ja: Constitution
    Day at the default factor, Greenery Day (05-04) listed at 0.5."""
    folder = write_scenario(
        tmp_path / "mix",
        "2027-05-03",
        2,
        [("en", "phone", CALLS, AHT), ("ja", "phone", CALLS, AHT)],
        """[markets]
holiday_factor = 0.3
[markets.en]
countries = { GB = 0.5, US = 0.5 }
holiday_factor = 0.4
[markets.ja]
countries = { JP = 1 }
[markets.ja.holiday_factors]
2027-05-04 = 0.5
""",
    )
    en_may_day = scheduled(erlang_c_agents(CALLS * (0.5 * 0.4 + 0.5), AHT, 20, 0.8))
    plain = scheduled(erlang_c_agents(CALLS, AHT, 20, 0.8))
    assert required_at(folder, "en", "2027-05-03T10:00:00Z") == en_may_day
    assert required_at(folder, "en", "2027-05-03T22:00:00Z") == en_may_day  # London 23:00
    assert required_at(folder, "en", "2027-05-03T23:00:00Z") == plain  # London: May 4
    assert required_at(folder, "ja", "2027-05-03T10:00:00Z") == scheduled(
        erlang_c_agents(CALLS * 0.3, AHT, 20, 0.8)
    )
    assert required_at(folder, "ja", "2027-05-03T16:00:00Z") == scheduled(
        erlang_c_agents(CALLS * 0.5, AHT, 20, 0.8)
    )
    assert en_may_day < plain


def test_a_market_promising_more_needs_its_own_agents(tmp_path: Path) -> None:
    """UK customers: phone answered 95% within 5 minutes... here a market that relaxes
    the answer time (300 s) and one that raises the level (95% in 20 s)."""
    folder = write_scenario(
        tmp_path / "targets",
        "2027-06-07",
        1,
        [("en", "phone", CALLS, AHT), ("de", "phone", CALLS, AHT), ("ja", "phone", CALLS, AHT)],
        """[markets.en.phone]
answer_seconds = 300
[markets.de.phone]
service_level = 0.95
""",
    )
    expected = {
        "en": scheduled(erlang_c_agents(CALLS, AHT, 300, 0.8)),
        "de": scheduled(erlang_c_agents(CALLS, AHT, 20, 0.95)),
        "ja": scheduled(erlang_c_agents(CALLS, AHT, 20, 0.8)),
    }
    assert len(set(expected.values())) == 3
    for language, agents in expected.items():
        assert required_at(folder, language, "2027-06-07T12:00:00Z") == agents, language


def test_messaging_is_spread_over_its_own_response_hours(tmp_path: Path) -> None:
    """36 messages an hour at 600 s is 6 agents of work per hour, spread over the
    window: after 12 hours, 12/48 of it (market en: 48 h) or 12/24 (scenario: 24 h)."""
    folder = write_scenario(
        tmp_path / "messaging",
        "2027-06-07",
        3,
        [("en", "messaging", 36, 600), ("de", "messaging", 36, 600)],
        "[service.messaging]\nresponse_hours = 24\n[markets.en.messaging]\nresponse_hours = 48\n",
    )
    assert required_at(folder, "en", "2027-06-07T11:00:00Z") == scheduled(6 * 12 / 48)
    assert required_at(folder, "de", "2027-06-07T11:00:00Z") == scheduled(6 * 12 / 24)
    assert required_at(folder, "en", "2027-06-09T12:00:00Z") == scheduled(6)
    assert required_at(folder, "de", "2027-06-09T12:00:00Z") == scheduled(6)


def test_adjusted_forecast_per_day_names_the_holidays(tmp_path: Path) -> None:
    folder = write_scenario(
        tmp_path / "days",
        "2027-05-05",
        2,
        [("ja", "phone", 10, AHT)],
        "[markets.ja]\ncountries = { JP = 1.0 }\nholiday_factor = 0.3\n",
    )
    days = adjusted_forecast(load_scenario(folder))
    assert [(d.day.isoformat(), d.base) for d in days] == [("2027-05-05", 240), ("2027-05-06", 240)]
    first, second = days
    # UTC May 5: 15 hours of Children's Day in Tokyo (x0.3), then 9 hours of May 6
    assert first.adjusted == 15 * 10 * 0.3 + 9 * 10
    assert [(c.country, c.day.isoformat(), c.name, c.factor) for c in first.changes] == [
        ("JP", "2027-05-05", "Children's Day", 0.3)
    ]
    assert second.adjusted == second.base and second.changes == ()


SPEC_EXAMPLE_REQUIRED_SHA256 = "b0ca59e44ae2c0875c9838822cffc1572936cb99ba43a0f0f3d1467bfe11301d"
DEMO_REQUIRED_SHA256 = "9ea4d65b2a803788af8340e43e83531a28f1df3e91d57b83eb156dd6d17c6367"
"""sha256 of required.csv as `sunshift requirements` wrote it before markets existed."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_v1_1_scenarios_keep_their_required_csv_byte_for_byte(
    spec_example_dir: Path, tmp_path: Path
) -> None:
    demo = Path(__file__).resolve().parents[3] / "config" / "demo"
    for folder, expected in (
        (spec_example_dir, SPEC_EXAMPLE_REQUIRED_SHA256),
        (demo, DEMO_REQUIRED_SHA256),
    ):
        out = tmp_path / folder.name / "required.csv"
        write_requirements(load_scenario(folder), out)
        assert _sha256(out) == expected, folder


def test_a_market_without_holidays_in_the_horizon_changes_nothing(tmp_path: Path) -> None:
    plain = write_scenario(tmp_path / "plain", "2027-06-07", 1, [("ja", "phone", CALLS, AHT)])
    quiet = write_scenario(
        tmp_path / "quiet",
        "2027-06-07",
        1,
        [("ja", "phone", CALLS, AHT)],
        "[markets.ja]\ncountries = { JP = 1.0 }\nholiday_factor = 0.3\n",
    )
    assert compute_requirements(load_scenario(plain)) == compute_requirements(load_scenario(quiet))
