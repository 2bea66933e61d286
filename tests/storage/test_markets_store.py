"""A period keeps its scenario's [markets] and messaging, so imported periods solve
with the adjusted requirements; a v1.1 scenario keeps the data hash it had."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "requirements"))
from market_scenarios import write_scenario  # noqa: E402

from scheduler.imports import load_scenario  # noqa: E402
from scheduler.requirements import compute_requirements  # noqa: E402
from scheduler.storage import models as m  # noqa: E402
from scheduler.storage.db import unit_of_work  # noqa: E402
from scheduler.storage.scenario_store import (  # noqa: E402
    import_scenario,
    load_period_scenario,
    scenario_hash,
)

V1_1_SPEC_EXAMPLE_HASH = "cf958c5b6b67db14e1a8582517b16e081e2ccd911d0928d9337a72059e0dd955"
V1_1_SPEC_EXAMPLE_STORED_HASH = "3c02a07ac97cf473636e2ba20e16700e75970e54bb4f6d36aebbadf63e8e381f"
"""scenario_hash of the spec example, and the data_hash its period stored, as computed by
the code before markets existed: a period imported then is not stale now."""

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
    scenario = load_scenario(spec_example_dir)
    with unit_of_work(sessions) as session:
        period = import_scenario(session, scenario, period_name="v1.1")
        stored = (period.id, period.markets, period.data_hash)
    with unit_of_work(sessions) as session:
        again = load_period_scenario(session, stored[0])
    # the hash of the v1.1 scenario as it was before markets existed (repr without them)
    assert scenario_hash(scenario) == V1_1_SPEC_EXAMPLE_HASH
    assert stored[1] is None and stored[2] == V1_1_SPEC_EXAMPLE_STORED_HASH
    assert again.markets.by_language == ()
