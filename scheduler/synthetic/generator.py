"""Seeded synthetic scenarios: spec + seed -> the files of a scenario folder.

Everything random comes from one ``random.Random(seed)`` drawn in a fixed order,
so the same spec and seed give byte-identical files on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import time
from pathlib import Path

from scheduler.domain import (
    CHANNELS,
    INTERVAL_CHOICES,
    Agent,
    Coverage,
    EmailService,
    ForecastRow,
    Horizon,
    QueueService,
    Rules,
    Scenario,
    ShiftTemplate,
    Site,
    Staffing,
    TimeOff,
)
from scheduler.synthetic.agents import (
    company_holiday,
    hiring_sites,
    make_agents,
    make_time_off,
)
from scheduler.synthetic.calibrate import calibrate, required_hours
from scheduler.synthetic.catalog import MARKETS, SITES
from scheduler.synthetic.forecast import base_volumes, language_profile
from scheduler.synthetic.render import (
    AGENTS_FILE,
    FORECAST_FILE,
    SCENARIO_FILE,
    TIME_OFF_FILE,
    agents_csv,
    forecast_csv,
    scenario_toml,
    time_off_csv,
)
from scheduler.synthetic.spec import SyntheticSpec

PHONE = QueueService(service_level=0.80, answer_seconds=20)
CHAT = QueueService(service_level=0.80, answer_seconds=60, concurrency=2)
EMAIL = EmailService(response_hours=24)
STAFFING = Staffing(shrinkage=0.30, max_occupancy=0.85)
RULES = Rules(
    min_rest_hours=11, max_consecutive_days=6, min_days_off_per_week=2,
    work_on_public_holidays=False,
)  # fmt: skip
MIN_CONTACTS_PER_DAY = 30
"""The smallest market still sends this many contacts a day (calibration floor)."""


def check_spec(spec: SyntheticSpec) -> None:
    """Reject a spec the generator cannot honour, naming every problem at once."""
    problems = []
    if spec.interval_minutes not in INTERVAL_CHOICES:
        problems.append(f"interval_minutes {spec.interval_minutes} is not one of 15, 30, 60")
    if spec.days < 1:
        problems.append(f"days {spec.days} must be at least 1")
    problems += [
        f"unknown site {s!r} (known: {', '.join(SITES)})" for s in spec.sites if s not in SITES
    ]
    problems += [f"unknown language {lang!r}" for lang in spec.languages if lang not in MARKETS]
    shift_ids = {sid for site in SITES.values() for sid, _, _ in site.shifts}
    problems += [
        f"shift_hours: unknown shift {sid!r} (known: {', '.join(sorted(shift_ids))})"
        if sid not in shift_ids
        else f"shift_hours: {sid} lasts {hours} h, expected more than 0 and at most 16"
        for sid, hours in spec.shift_hours
        if sid not in shift_ids or not 0 < hours <= 16
    ]
    if not problems:
        problems += [
            f"language {lang!r} is hired by none of the sites {', '.join(spec.sites)}"
            for lang in spec.languages
            if not hiring_sites(spec, lang)
        ]
        problems += [
            f"site {s!r} hires none of the languages {', '.join(spec.languages)}"
            for s in spec.sites
            if not any(lang in spec.languages for lang, _ in SITES[s].hires)
        ]
    if spec.agents < spec.min_speakers * len(spec.languages):
        problems.append(
            f"{spec.agents} agents cannot give {len(spec.languages)} languages "
            f"{spec.min_speakers} speakers each"
        )
    if not 0 < spec.load <= 1.5:
        problems.append(f"load {spec.load} must be in (0, 1.5]")
    if problems:
        raise ValueError("bad synthetic spec: " + "; ".join(problems))


def make_sites(spec: SyntheticSpec, rng: random.Random) -> dict[str, Site]:
    holiday_site, holiday = company_holiday(spec, rng)
    sites = {}
    lengths = dict(spec.shift_hours)
    for site_id in spec.sites:
        profile = SITES[site_id]
        rules = RULES
        if profile.max_consecutive_days is not None:
            rules = Rules(
                min_rest_hours=RULES.min_rest_hours,
                max_consecutive_days=profile.max_consecutive_days,
                min_days_off_per_week=RULES.min_days_off_per_week,
                work_on_public_holidays=RULES.work_on_public_holidays,
            )
        sites[site_id] = Site(
            id=site_id,
            name=profile.name,
            region=profile.region,
            country=profile.country,
            subdivision=profile.subdivision,
            timezone=profile.timezone,
            shifts=tuple(
                ShiftTemplate(
                    id=sid, start=time.fromisoformat(start), hours=lengths.get(sid, hours)
                )
                for sid, start, hours in profile.shifts
            ),
            rules=rules,
            extra_holidays=(holiday,) if site_id == holiday_site else (),
        )
    return sites


def generate_scenario(spec: SyntheticSpec, seed: int) -> dict[str, str]:
    """The files of a valid scenario folder (name -> text) for ``spec`` and ``seed``."""
    check_spec(spec)
    rng = random.Random(seed)
    horizon = Horizon(start=spec.start, days=spec.days, interval_minutes=spec.interval_minutes)
    sites = make_sites(spec, rng)
    always_on = tuple(lang for lang in spec.always_on if lang in spec.languages)
    starts = horizon.interval_starts()
    profiles = {lang: language_profile(lang, rng) for lang in spec.languages}
    shapes = {
        lang: base_volumes(
            lang, profiles[lang], starts, spec.interval_minutes, lang in always_on, rng
        )
        for lang in spec.languages
    }
    agents: list[Agent] = []
    time_off: list[TimeOff] = []

    def build(scales: Mapping[str, float]) -> Scenario:
        rows = []
        for index, start_utc in enumerate(starts):
            for lang in spec.languages:
                for channel in CHANNELS:
                    volume = round(shapes[lang][channel][index] * scales[lang], 2)
                    if volume > 0:
                        aht = profiles[lang].aht_seconds[channel]
                        rows.append(ForecastRow(start_utc, lang, channel, volume, aht))
        return Scenario(
            name=spec.name,
            horizon=horizon,
            phone=PHONE,
            chat=CHAT,
            email=EMAIL,
            staffing=STAFFING,
            coverage=Coverage(always_on=always_on, min_agents=1),
            rules=RULES,
            sites=tuple(sites.values()),
            agents=tuple(agents),
            time_off=tuple(time_off),
            forecast=tuple(rows),
        )

    min_scale = MIN_CONTACTS_PER_DAY * spec.interval_minutes / (24 * 60)
    floor_hours = required_hours(build(dict.fromkeys(spec.languages, min_scale)))
    new_agents, restrictions = make_agents(spec, sites, floor_hours, rng)
    agents.extend(new_agents)
    time_off.extend(make_time_off(spec, agents, rng))
    targets = target_hours(spec, agents)
    guesses = {lang: _linear_guess(targets[lang], profiles[lang], horizon) for lang in targets}
    scenario = build(calibrate(build, guesses, targets, min_scale, spec.scarce))
    return {
        SCENARIO_FILE: scenario_toml(scenario),
        AGENTS_FILE: agents_csv(scenario.agents, restrictions),
        FORECAST_FILE: forecast_csv(scenario.forecast or ()),
        TIME_OFF_FILE: time_off_csv(scenario.time_off),
    }


def target_hours(spec: SyntheticSpec, agents) -> dict[str, float]:
    """Required agent-hours wanted per language: ``load`` x its first-language speakers' hours."""
    weeks = spec.days / 7
    hours = dict.fromkeys(spec.languages, 0.0)
    for agent in agents:
        hours[agent.languages[0]] += agent.hours_per_week * weeks
    return {lang: spec.load * value for lang, value in hours.items()}


def _linear_guess(target: float, profile, horizon: Horizon) -> float:
    """Scale if agent-hours were workload x 1.15 / (1 - shrinkage): a bracket centre."""
    work_hours_per_contact = (
        sum(
            profile.mix[ch] * profile.aht_seconds[ch] / (CHAT.concurrency if ch == "chat" else 1)
            for ch in CHANNELS
        )
        / 3600
    )
    per_unit = horizon.interval_count * work_hours_per_contact * 1.15 / (1 - STAFFING.shrinkage)
    return target / per_unit


def write_scenario(folder: Path, spec: SyntheticSpec, seed: int) -> list[Path]:
    """Generate and write the scenario files into ``folder`` (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate_scenario(spec, seed).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
