"""Domain objects -> the text of a scenario folder's files (scenario-format v1)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping

from calendars.zones import iso_utc
from scheduler.domain import Agent, ForecastRow, Rules, Scenario, Site, TimeOff

SCENARIO_FILE = "scenario.toml"
AGENTS_FILE = "agents.csv"
FORECAST_FILE = "forecast.csv"
TIME_OFF_FILE = "time_off.csv"


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _rule_lines(rules: Rules) -> list[str]:
    return [
        f"min_rest_hours = {_number(rules.min_rest_hours)}",
        f"max_consecutive_days = {rules.max_consecutive_days}",
        f"min_days_off_per_week = {rules.min_days_off_per_week}",
        f"work_on_public_holidays = {str(rules.work_on_public_holidays).lower()}",
    ]


def _site_lines(site: Site, defaults: Rules) -> list[str]:
    shifts = ", ".join(
        f'{{ id = "{s.id}", start = "{s.start:%H:%M}", hours = {_number(s.hours)} }}'
        for s in site.shifts
    )
    lines = [
        "",
        "[[sites]]",
        f"id = {_string(site.id)}",
        f"name = {_string(site.name)}",
        f"region = {_string(site.region)}",
        f"country = {_string(site.country)}",
        f"subdivision = {_string(site.subdivision)}",
        f"timezone = {_string(site.timezone)}",
    ]
    if site.extra_holidays:
        lines.append(f"extra_holidays = [{', '.join(d.isoformat() for d in site.extra_holidays)}]")
    lines.append(f"shifts = [{shifts}]")
    overrides = [
        f"{name} = {_number(getattr(site.rules, name))}"
        for name in ("min_rest_hours", "max_consecutive_days", "min_days_off_per_week")
        if getattr(site.rules, name) != getattr(defaults, name)
    ]
    if overrides:
        lines += ["[sites.rules]", *overrides]
    return lines


def scenario_toml(scenario: Scenario) -> str:
    h, phone, chat = scenario.horizon, scenario.phone, scenario.chat
    always_on = ", ".join(_string(lang) for lang in scenario.coverage.always_on)
    lines = [
        f"name = {_string(scenario.name)}",
        "",
        "[horizon]",
        f"start = {h.start.isoformat()}",
        f"days = {h.days}",
        f"interval_minutes = {h.interval_minutes}",
        "",
        "[service.phone]",
        f"service_level = {_number(phone.service_level)}",
        f"answer_seconds = {_number(phone.answer_seconds)}",
        "[service.chat]",
        f"service_level = {_number(chat.service_level)}",
        f"answer_seconds = {_number(chat.answer_seconds)}",
        f"concurrency = {_number(chat.concurrency)}",
        "[service.email]",
        f"response_hours = {_number(scenario.email.response_hours)}",
        "",
        "[staffing]",
        f"shrinkage = {_number(scenario.staffing.shrinkage)}",
        f"max_occupancy = {_number(scenario.staffing.max_occupancy)}",
        "",
        "[coverage]",
        f"always_on = [{always_on}]",
        f"min_agents = {scenario.coverage.min_agents}",
        "",
        "[rules]",
        *_rule_lines(scenario.rules),
    ]
    for site in scenario.sites:
        lines += _site_lines(site, scenario.rules)
    return "\n".join(lines) + "\n"


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def agents_csv(agents: Iterable[Agent], restrictions: Mapping[str, tuple[str, ...]]) -> str:
    """One row per agent; ``shifts`` is empty unless the agent is restricted."""
    return _csv(
        ("id", "name", "site", "languages", "hours_per_week", "email", "shifts"),
        (
            (
                a.id,
                a.name,
                a.site_id,
                ";".join(a.languages),
                _number(a.hours_per_week),
                a.email,
                ";".join(restrictions.get(a.id, ())),
            )
            for a in agents
        ),
    )


def forecast_csv(rows: Iterable[ForecastRow]) -> str:
    return _csv(
        ("interval_start", "language", "channel", "volume", "aht_seconds"),
        (
            (iso_utc(r.interval_start_utc), r.language, r.channel, f"{r.volume:.2f}",
             _number(r.aht_seconds))
            for r in rows
        ),
    )  # fmt: skip


def time_off_csv(blocks: Iterable[TimeOff]) -> str:
    return _csv(
        ("agent_id", "start_date", "end_date", "reason"),
        ((t.agent_id, t.start_date.isoformat(), t.end_date.isoformat(), t.reason) for t in blocks),
    )
