"""A few lines that let a planner confirm ``sunshift validate`` read what they meant."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from scheduler.domain import CHANNELS, Rules, Scenario, Site
from scheduler.imports.errors import show_value


def describe(scenario: Scenario) -> str:
    horizon = scenario.horizon
    last_date = horizon.start + timedelta(days=horizon.days - 1)
    agents_at = Counter(agent.site_id for agent in scenario.agents)
    lines = [
        f"Scenario: {scenario.name}",
        f"Horizon: {horizon.days} days, {horizon.start:%a %Y-%m-%d} to {last_date:%a %Y-%m-%d} "
        f"(UTC {horizon.start_utc:%Y-%m-%d %H:%MZ} to {horizon.end_utc:%Y-%m-%d %H:%MZ}), "
        f"{horizon.interval_minutes}-minute intervals ({horizon.interval_count})",
        f"Sites: {len(scenario.sites)}, agents: {len(scenario.agents)}",
    ]
    for site in scenario.sites:
        place = f"{site.country}-{site.subdivision}" if site.subdivision else site.country
        notes = _site_notes(scenario, site)
        lines.append(
            f"  {site.id:<6} {site.name:<16} {site.region:<4} {site.timezone:<22} {place:<6} "
            f"{agents_at[site.id]:>4} agents, {len(site.shifts)} shifts{notes}"
        )
    lines.extend(_language_lines(scenario))
    lines.extend(_demand_lines(scenario))
    absent_agents = len({absence.agent_id for absence in scenario.time_off})
    lines.append(
        f"Time off: {_count(len(scenario.time_off), 'absence')} of {_count(absent_agents, 'agent')}"
    )
    if scenario.history:
        used = sum(len(shifts) for shifts in scenario.history_by_agent.values())
        lines.append(
            f"History: {_count(len(scenario.history), 'shift')} before the start, {used} of them "
            f"in its last 14 days ({_count(len(scenario.history_by_agent), 'agent')})"
        )
    return "\n".join(lines)


def _site_notes(scenario: Scenario, site: Site) -> str:
    """What sets a site apart: its own rule values and company days off."""
    notes = [
        f"{name} {show_value(getattr(site.rules, name))}"
        for name in Rules.__dataclass_fields__
        if getattr(site.rules, name) != getattr(scenario.rules, name)
    ]
    if site.extra_holidays:
        days = ", ".join(day.isoformat() for day in site.extra_holidays)
        notes.append(f"company holidays {days}")
    return f"; {'; '.join(notes)}" if notes else ""


def _language_lines(scenario: Scenario) -> list[str]:
    speakers = Counter(code for agent in scenario.agents for code in agent.languages)
    always_on = set(scenario.coverage.always_on)
    parts = []
    for code in scenario.languages:
        tag = ", always on" if code in always_on else ""
        parts.append(f"{code} ({_count(speakers[code], 'speaker')}{tag})")
    line = f"Languages: {len(parts)}: " + "; ".join(parts)
    unused = sorted(set(speakers) - set(scenario.languages))
    if unused:
        line += f"; also spoken, without demand: {', '.join(unused)}"
    return [line]


def _demand_lines(scenario: Scenario) -> list[str]:
    lines = []
    if scenario.forecast is not None:
        per_channel = Counter(row.channel for row in scenario.forecast)
        shown = CHANNELS + (("messaging",) if per_channel["messaging"] else ())
        split = ", ".join(f"{channel} {per_channel[channel]}" for channel in shown)
        lines.append(f"Forecast: {len(scenario.forecast)} rows ({split})")
    for market in scenario.markets.by_language:
        countries = ", ".join(f"{c} {share:g}" for c, share in market.countries) or "no countries"
        own = [ch for ch in ("phone", "chat", "email", "messaging") if getattr(market, ch)]
        targets = f"; own targets: {', '.join(own)}" if own else ""
        lines.append(
            f"Market {market.language}: {countries}; holiday factor "
            f"{market.holiday_factor:g}{targets}"
        )
    if scenario.required is not None:
        used = "used for staffing" if scenario.forecast is not None else ""
        lines.append(f"Required: {len(scenario.required)} rows {used}".rstrip())
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
