"""Who carries the nights, weekends and public holidays, across regions.

Each agent's night, weekend and holiday hours are the HR hours export's
(``scheduler.exports.worked_hours``: counted at his site's local clock, real
elapsed time across clock changes), summed over the period. They are compared:

- by site: the agents of one site;
- by language across sites: every speaker of a language wherever he sits (an
  agent speaking two languages is in both groups), so Japanese speakers in
  Dublin are compared with those in Tokyo;
- per language, each site's share of the language's hours against its share of
  the speakers ("Dublin: 2 of 5 speakers, 100% of the night hours").

A group's spread is its range (max - min) and coefficient of variation
(population standard deviation / mean; None when every value is 0). Every
agent of the group counts, those without a shift too (a week off is part of who
carried what).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scheduler.domain import Roster, Scenario
from scheduler.exports.hours import agent_totals, worked_hours

MEASURES = ("night_hours", "weekend_hours", "holiday_hours")
MEASURE_TITLES = {
    "night_hours": "Night hours",
    "weekend_hours": "Weekend hours",
    "holiday_hours": "Holiday hours",
}
SITE, LANGUAGE = "site", "language"


@dataclass(frozen=True)
class AgentLoad:
    agent_id: str
    agent_name: str
    site_id: str
    languages: tuple[str, ...]
    contract_hours: float
    shifts: int
    worked_hours: float
    night_hours: float
    weekend_hours: float
    holiday_hours: float


@dataclass(frozen=True)
class Spread:
    """One measure over a group of agents."""

    measure: str
    agents: int
    total: float
    mean: float
    minimum: float
    maximum: float
    cv: float | None
    """Coefficient of variation (pstdev / mean); None when the mean is 0."""

    @property
    def range(self) -> float:
        return round(self.maximum - self.minimum, 6)


@dataclass(frozen=True)
class Group:
    kind: str
    """``site`` or ``language``."""
    key: str
    label: str
    agent_ids: tuple[str, ...]
    spreads: tuple[Spread, ...]
    """One per measure, in ``MEASURES`` order."""

    def spread(self, measure: str) -> Spread:
        return next(s for s in self.spreads if s.measure == measure)


@dataclass(frozen=True)
class SiteShare:
    """A site's part of a language: its speakers and the hours they carry."""

    language: str
    site_id: str
    site_name: str
    speakers: int
    speaker_share: float
    hours: tuple[float, ...]
    """Per measure, in ``MEASURES`` order."""
    shares: tuple[float | None, ...]
    """Each measure's share of the language's total (None when the total is 0)."""


@dataclass(frozen=True)
class FairnessReport:
    agents: tuple[AgentLoad, ...]
    by_site: tuple[Group, ...]
    by_language: tuple[Group, ...]
    language_sites: tuple[SiteShare, ...]


def fairness_report(scenario: Scenario, roster: Roster) -> FairnessReport:
    """The report of ``roster`` (raises ValueError as ``worked_hours`` does for a roster
    that does not fit the scenario)."""
    loads = tuple(_loads(scenario, roster))
    sites = {site.id: site for site in scenario.sites}
    by_site = tuple(
        _group(SITE, site.id, site.name, [a for a in loads if a.site_id == site.id])
        for site in scenario.sites
        if any(a.site_id == site.id for a in loads)
    )
    languages = sorted({lang for a in loads for lang in a.languages})
    by_language = tuple(
        _group(LANGUAGE, lang, lang, [a for a in loads if lang in a.languages])
        for lang in languages
    )
    shares = []
    for group in by_language:
        members = [a for a in loads if group.key in a.languages]
        for site in scenario.sites:
            here = [a for a in members if a.site_id == site.id]
            if not here:
                continue
            hours = tuple(_round(sum(getattr(a, m) for a in here)) for m in MEASURES)
            totals = [group.spread(m).total for m in MEASURES]
            shares.append(
                SiteShare(
                    language=group.key,
                    site_id=site.id,
                    site_name=sites[site.id].name,
                    speakers=len(here),
                    speaker_share=len(here) / len(members),
                    hours=hours,
                    shares=tuple(h / t if t else None for h, t in zip(hours, totals, strict=True)),
                )
            )
    return FairnessReport(loads, by_site, by_language, tuple(shares))


def spread(measure: str, values: Sequence[float]) -> Spread:
    """Range and coefficient of variation of ``values`` (at least one)."""
    mean = statistics.fmean(values)
    return Spread(
        measure=measure,
        agents=len(values),
        total=_round(sum(values)),
        mean=_round(mean),
        minimum=min(values),
        maximum=max(values),
        cv=_round(statistics.pstdev(values) / mean) if mean else None,
    )


def _loads(scenario: Scenario, roster: Roster) -> Iterable[AgentLoad]:
    for total in agent_totals(worked_hours(scenario, roster)):
        agent = scenario.agent(total.agent_id)
        yield AgentLoad(
            agent_id=total.agent_id,
            agent_name=total.agent_name,
            site_id=total.site_id,
            languages=agent.languages,
            contract_hours=total.contract_hours,
            shifts=total.shifts,
            worked_hours=total.worked_hours,
            night_hours=total.night_hours,
            weekend_hours=total.weekend_hours,
            holiday_hours=total.holiday_hours,
        )


def _group(kind: str, key: str, label: str, members: list[AgentLoad]) -> Group:
    return Group(
        kind=kind,
        key=key,
        label=label,
        agent_ids=tuple(a.agent_id for a in members),
        spreads=tuple(spread(m, [getattr(a, m) for a in members]) for m in MEASURES),
    )


def _round(value: float) -> float:
    return round(value, 6)
