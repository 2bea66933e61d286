"""Small scenario folders with [markets] for the market tests, and an independent
Erlang C (the textbook sum with factorials, no code under test)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

SHRINKAGE = 0.25
MAX_OCCUPANCY = 0.85


def write_scenario(
    folder: Path,
    start: str,
    days: int,
    rows: Iterable[tuple[str, str, float, float]],
    extra_toml: str = "",
) -> Path:
    """A one-site (Dublin) scenario; ``rows`` (language, channel, volume, aht) repeat in
    every hourly interval of the horizon."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.toml").write_text(
        f"""name = "markets"

[horizon]
start = {start}
days = {days}
interval_minutes = 60

[service.phone]
service_level = 0.80
answer_seconds = 20
[service.chat]
service_level = 0.80
answer_seconds = 60
[service.email]
response_hours = 24

[staffing]
shrinkage = {SHRINKAGE}
max_occupancy = {MAX_OCCUPANCY}

[[sites]]
id = "dub"
region = "EU"
country = "IE"
timezone = "Europe/Dublin"
shifts = [{{ id = "day", start = "08:00", hours = 8 }}]
{extra_toml}""",
        encoding="utf-8",
    )
    (folder / "agents.csv").write_text(
        "id,name,site,languages,hours_per_week\nA1,Aoife,dub,en;ja;de,40\n", encoding="utf-8"
    )
    first = datetime.fromisoformat(start).replace(tzinfo=UTC)
    lines = ["interval_start,language,channel,volume,aht_seconds"]
    rows = list(rows)
    for hour in range(days * 24):
        stamp = (first + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines += [
            f"{stamp},{lang},{channel},{volume:g},{aht:g}" for lang, channel, volume, aht in rows
        ]
    (folder / "forecast.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def erlang_c_agents(
    calls: float, aht: float, answer_seconds: float, target: float, interval_seconds: float = 3600
) -> int:
    """Fewest agents whose Erlang C service level reaches ``target`` with occupancy at
    most MAX_OCCUPANCY: P(wait) = (A^N/N! x N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! x N/(N-A)),
    SL = 1 - P(wait) exp(-(N-A) t / aht)."""
    traffic = calls * aht / interval_seconds
    if traffic == 0:
        return 0
    agents = math.floor(traffic) + 1
    while True:
        top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
        waiting = top / (sum(traffic**k / math.factorial(k) for k in range(agents)) + top)
        level = 1 - waiting * math.exp(-(agents - traffic) * answer_seconds / aht)
        if level >= target and traffic / agents <= MAX_OCCUPANCY:
            return agents
        agents += 1


def scheduled(net_agents: float) -> int:
    """Agents to schedule so ``net_agents`` remain after shrinkage."""
    return math.ceil(net_agents / (1 - SHRINKAGE) - 1e-9)
