"""Agents and their approved absences for a synthetic scenario.

Headcount per first language follows the size of that language's market, with
a floor of ``min_speakers`` so small markets stay scarce but present; within a
language, agents go to the sites that hire it, by the site's hiring weight.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from scheduler.domain import Agent, Site, TimeOff
from scheduler.synthetic.catalog import MARKETS, SITES
from scheduler.synthetic.names import email_for, random_name
from scheduler.synthetic.spec import SyntheticSpec

CONTRACT_HOURS = ((40, 0.62), (32, 0.16), (24, 0.12), (20, 0.10))
ENGLISH_AS_SECOND = 0.40
LOCAL_SECOND = 0.15
THIRD_LANGUAGE = 0.06
FLOOR_HEADROOM = 1.25
"""Headcount covers a language's floor hours plus this much room for its real volume."""


def largest_remainder(total: int, weights: Sequence[float], floor: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights``, each at least ``floor``."""
    counts = [floor] * len(weights)
    rest = total - floor * len(weights)
    if rest < 0:
        raise ValueError(f"cannot give {len(weights)} groups {floor} each out of {total}")
    weight_sum = sum(weights)
    exact = [rest * w / weight_sum for w in weights]
    for i, share in enumerate(exact):
        counts[i] += int(share)
    leftover = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (int(exact[i]) - exact[i], i))
    for i in by_remainder[:leftover]:
        counts[i] += 1
    return counts


def speakers_per_language(spec: SyntheticSpec, floor_hours: Mapping[str, float]) -> dict[str, int]:
    """Agents whose first language is each language.

    Scarce languages get exactly ``min_speakers``. The others get a share of the
    rest by market size, but at least enough to carry the language's
    volume-independent floor (every open channel needs an agent) at the
    spec's load, so the load stays near the target instead of piling up there.
    """
    scarce = [lang for lang in spec.languages if lang in spec.scarce]
    others = [lang for lang in spec.languages if lang not in spec.scarce]
    budget = spec.agents - spec.min_speakers * len(scarce)
    hours_each = sum(h * w for h, w in CONTRACT_HOURS) * spec.days / 7 * spec.load
    size_sum = sum(MARKETS[lang].size for lang in others)
    weights = [
        max(
            budget * MARKETS[lang].size / size_sum,
            floor_hours.get(lang, 0.0) * FLOOR_HEADROOM / hours_each,
        )
        for lang in others
    ]
    counts = dict(zip(others, largest_remainder(budget, weights, spec.min_speakers), strict=True))
    counts.update(dict.fromkeys(scarce, spec.min_speakers))
    return {lang: counts[lang] for lang in spec.languages}


def hiring_sites(spec: SyntheticSpec, language: str) -> list[tuple[str, float]]:
    """Sites of the spec that hire ``language``; a scarce one only at its main site."""
    found = [
        (site_id, weight)
        for site_id in spec.sites
        for lang, weight in SITES[site_id].hires
        if lang == language
    ]
    if language in spec.scarce and found:
        return [max(found, key=lambda pair: pair[1])]
    return found


def make_agents(
    spec: SyntheticSpec,
    sites: dict[str, Site],
    floor_hours: Mapping[str, float],
    rng: random.Random,
) -> tuple[list[Agent], dict[str, tuple[str, ...]]]:
    """Agents ordered by site, and the explicit shift restriction of those who have one."""
    drafts: list[tuple[str, str]] = []  # (site id, first language)
    for language, count in speakers_per_language(spec, floor_hours).items():
        hirers = hiring_sites(spec, language)
        split = largest_remainder(count, [w for _, w in hirers])
        for (site_id, _), n in zip(hirers, split, strict=True):
            drafts.extend((site_id, language) for _ in range(n))
    rng.shuffle(drafts)
    drafts.sort(key=lambda d: spec.sites.index(d[0]))

    agents: list[Agent] = []
    restrictions: dict[str, tuple[str, ...]] = {}
    for number, (site_id, first) in enumerate(drafts, start=1):
        site = sites[site_id]
        agent_id = f"A{number:04d}"
        name = random_name(rng, site.country)
        languages = _languages(spec, site_id, first, rng)
        hours = rng.choices([h for h, _ in CONTRACT_HOURS], [w for _, w in CONTRACT_HOURS])[0]
        allowed = _allowed_shifts(site, hours, rng)
        all_shifts = tuple(s.id for s in site.shifts)
        if allowed != all_shifts:
            restrictions[agent_id] = allowed
        agents.append(
            Agent(
                id=agent_id,
                name=name,
                site_id=site_id,
                languages=languages,
                hours_per_week=hours,
                shift_ids=allowed,
                email=email_for(name, agent_id),
            )
        )
    return agents, restrictions


def _languages(
    spec: SyntheticSpec, site_id: str, first: str, rng: random.Random
) -> tuple[str, ...]:
    """Mostly one language; English is the usual second, a local hire language the next."""
    local = [lang for lang, _ in SITES[site_id].hires if lang in spec.languages and lang != first]
    spoken = [first]
    if first != "en" and "en" in spec.languages and rng.random() < ENGLISH_AS_SECOND:
        spoken.append("en")
    if rng.random() < LOCAL_SECOND:
        extra = [lang for lang in local if lang not in spoken]
        if extra:
            spoken.append(rng.choice(extra))
    if len(spoken) == 2 and rng.random() < THIRD_LANGUAGE:
        others = [lang for lang in spec.languages if lang not in spoken + list(spec.scarce)]
        if others:
            spoken.append(rng.choice(others))
    return tuple(spoken)


def _allowed_shifts(site: Site, hours: float, rng: random.Random) -> tuple[str, ...]:
    """Some agents never work nights, some only nights, part-timers often days only."""
    ids = tuple(s.id for s in site.shifts)
    roll = rng.random()
    part_time = hours < 32
    if "night" in ids:
        if roll < 0.10:
            return ("night",)
        if roll < 0.50:
            return tuple(i for i in ids if i != "night")
    if roll > (0.70 if part_time else 0.88):
        daytime = tuple(i for i in ids if i in ("early", "day"))
        return daytime or ids
    return ids


def make_time_off(
    spec: SyntheticSpec, agents: Sequence[Agent], rng: random.Random
) -> list[TimeOff]:
    """Vacation blocks (3-10 days) and short training absences for a share of agents."""
    count = round(spec.time_off_share * len(agents))
    chosen = sorted(rng.sample(range(len(agents)), count))
    last_day = spec.start + timedelta(days=spec.days - 1)
    blocks = []
    for index in chosen:
        if rng.random() < 0.75:
            reason, length = "vacation", rng.randint(3, 10)
        else:
            reason, length = "training", rng.randint(1, 2)
        length = min(length, max(1, spec.days * 2 // 3))
        first = spec.start + timedelta(days=rng.randint(0, spec.days - length))
        end = min(first + timedelta(days=length - 1), last_day)
        blocks.append(TimeOff(agents[index].id, first, end, reason))
    return blocks


def company_holiday(spec: SyntheticSpec, rng: random.Random) -> tuple[str, date]:
    """One site's company day off (a weekday in the horizon), as planners often have."""
    site_id = rng.choice(spec.sites)
    weekdays = [
        spec.start + timedelta(days=i)
        for i in range(spec.days)
        if (spec.start + timedelta(days=i)).weekday() < 5
    ]
    return site_id, rng.choice(weekdays)
