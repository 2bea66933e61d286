"""A period keeps its scenario's [markets] and messaging, so imported periods solve
with the adjusted requirements; a v1.1 scenario keeps the data hash it had."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from sqlalchemy import select

from scheduler.domain import Market, Markets
from scheduler.imports import load_scenario
from scheduler.requirements import compute_requirements
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import (
    import_scenario,
    load_period_scenario,
    scenario_hash,
)
from tests.unit.requirements.market_scenarios import write_scenario

MARKETS = """[service.messaging]
response_hours = 36
[markets.ja]
countries = { JP = 0.9, US = 0.1 }
timezones = { US = "America/Los_Angeles" }
holiday_factor = 0.3
[markets.ja.holiday_factors]
2027-05-06 = 0.8
[markets.ja.phone]
answer_seconds = 60
[markets.en.messaging]
response_hours = 48
"""


def test_markets_and_messaging_survive_the_database(sessions, tmp_path: Path) -> None:
    folder = write_scenario(
        tmp_path / "gw",
        "2027-05-05",
        2,
        [("ja", "phone", 40, 300), ("en", "messaging", 12, 600), ("ja", "messaging", 6, 300)],
        MARKETS,
    )
    scenario = load_scenario(folder)
    with unit_of_work(sessions) as session:
        period_id = import_scenario(session, scenario, period_name="Golden Week").id
    with unit_of_work(sessions) as session:
        again = load_period_scenario(session, period_id)
        channels = set(session.scalars(select(m.ForecastRow.channel).distinct()))

    assert again == scenario
    assert again.markets == scenario.markets and again.messaging == scenario.messaging
    assert channels == {"phone", "messaging"}
    assert compute_requirements(again) == compute_requirements(scenario)


def test_a_v1_1_period_keeps_its_data_hash_and_reads_no_markets(
    sessions, spec_example_dir: Path
) -> None:
    """The hash of a scenario without the extensions is the one computed before they
    existed (the repr of the scenario alone): periods imported then are not stale."""
    scenario = load_scenario(spec_example_dir)
    own = dataclasses.replace(scenario, name="", source="", history=())
    assert scenario_hash(scenario) == hashlib.sha256(repr(own).encode()).hexdigest()
    with unit_of_work(sessions) as session:
        period = import_scenario(session, scenario, period_name="v1.1")
        period_id, markets, messaging = period.id, period.markets, period.messaging
    with unit_of_work(sessions) as session:
        again = load_period_scenario(session, period_id)
    assert markets is None and messaging == {"response_hours": 24}
    assert again.markets.by_language == ()
    with_market = dataclasses.replace(
        scenario, markets=Markets((Market("ja", countries=(("JP", 1.0),), holiday_factor=0.3),))
    )
    assert scenario_hash(with_market) != scenario_hash(scenario)
