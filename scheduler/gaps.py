"""Why coverage falls short: each uncovered stretch with its binding reason.

A stretch is a run of consecutive intervals of one language with staffed below
required. For each we separate what *no* roster could avoid (proved: fewer
speakers could possibly work then than are required, counting everyone whose
site has an allowed shift covering the interval on a date he is free) from
what the optimizer traded away, and name the reason that binds most speakers:
no shift of theirs covers the hour, time off, a public holiday, weekly hours
used up, the rest rule, days off, or busy elsewhere.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from calendars.zones import iso_local, iso_utc, to_local
from scheduler.domain import Assignment, CoverageRow, Scenario
from scheduler.solver_input import TranslatedProblem, holidays_of


@dataclass(frozen=True)
class Gap:
    language: str
    start_utc: datetime
    end_utc: datetime
    local_zone: str
    intervals: int
    missing_agent_intervals: int
    max_missing: int
    unavoidable_agent_intervals: int
    reason: str
    details: str

    @property
    def kind(self) -> str:
        if self.unavoidable_agent_intervals >= self.missing_agent_intervals:
            return "unavoidable"
        return "partly unavoidable" if self.unavoidable_agent_intervals else "traded"

    def as_row(self) -> dict[str, str | int]:
        return {
            "language": self.language,
            "start_utc": iso_utc(self.start_utc),
            "end_utc": iso_utc(self.end_utc),
            "start_local": iso_local(to_local(self.start_utc, self.local_zone)),
            "end_local": iso_local(to_local(self.end_utc, self.local_zone)),
            "local_zone": self.local_zone,
            "intervals": self.intervals,
            "missing_agent_intervals": self.missing_agent_intervals,
            "max_missing": self.max_missing,
            "unavoidable_agent_intervals": self.unavoidable_agent_intervals,
            "kind": self.kind,
            "reason": self.reason,
            "details": self.details,
        }


GAP_COLUMNS = (
    "language",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
    "local_zone",
    "intervals",
    "missing_agent_intervals",
    "max_missing",
    "unavoidable_agent_intervals",
    "kind",
    "reason",
    "details",
)


def write_gaps_csv(path: Path, gaps: list[Gap]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=GAP_COLUMNS)
        writer.writeheader()
        writer.writerows(gap.as_row() for gap in gaps)


def gap_summary(
    gaps: list[Gap], listed: int = 20, bound_by_language: dict[str, int] | None = None
) -> dict:
    """The figures summary.json carries: totals, per language, and the largest gaps.

    A language's unavoidable shortfall is the larger of what its stretches prove
    one by one (too few speakers could be there) and the LP bound of the language
    alone (its speakers' rules over the whole period), both proven."""
    largest = sorted(gaps, key=lambda g: -g.missing_agent_intervals)[:listed]
    by_language: dict[str, dict[str, int]] = {}
    for gap in gaps:
        entry = by_language.setdefault(gap.language, {"missing": 0, "unavoidable": 0})
        entry["missing"] += gap.missing_agent_intervals
        entry["unavoidable"] += gap.unavoidable_agent_intervals
    for language, bound in (bound_by_language or {}).items():
        entry = by_language.setdefault(language, {"missing": 0, "unavoidable": 0})
        entry["unavoidable"] = min(entry["missing"], max(entry["unavoidable"], bound))
    return {
        "stretches": len(gaps),
        "missing_agent_intervals": sum(g.missing_agent_intervals for g in gaps),
        "unavoidable_agent_intervals": sum(e["unavoidable"] for e in by_language.values()),
        "by_language": dict(sorted(by_language.items())),
        "largest": [g.as_row() for g in largest],
    }


class GapExplainer:
    """Finds gaps and their reasons for one solved roster."""

    def __init__(
        self,
        scenario: Scenario,
        translated: TranslatedProblem,
        coverage: tuple[CoverageRow, ...],
        assignments: tuple[Assignment, ...],
    ) -> None:
        self.scenario = scenario
        self.translated = translated
        self.problem = translated.problem
        self.coverage = coverage
        self.languages = self.problem.languages
        self.chosen_by_agent: dict[int, list[int]] = defaultdict(list)
        index_of = {agent_id: a for a, agent_id in enumerate(translated.agent_ids)}
        source_index = {
            (s.site_id, s.date, s.shift_id): o for o, s in enumerate(translated.sources)
        }
        for shift in assignments:
            option = source_index[shift.site_id, shift.date, shift.shift_id]
            self.chosen_by_agent[index_of[shift.agent_id]].append(option)
        self.speakers: dict[int, list[int]] = defaultdict(list)
        for a, agent in enumerate(self.problem.agents):
            for lang in agent.languages:
                self.speakers[lang].append(a)

    def gaps(self) -> list[Gap]:
        per_language: dict[int, list[CoverageRow]] = defaultdict(list)
        position = {name: i for i, name in enumerate(self.languages)}
        for row in self.coverage:
            per_language[position[row.language]].append(row)
        found = []
        for lang, rows in sorted(per_language.items()):
            run: list[int] = []
            for t, row in enumerate(rows):
                if row.staffed < row.required:
                    run.append(t)
                    continue
                if run:
                    found.append(self._explain(lang, run, rows))
                    run = []
            if run:
                found.append(self._explain(lang, run, rows))
        return found

    def _explain(self, lang: int, run: list[int], rows: list[CoverageRow]) -> Gap:
        missing = [rows[t].required - rows[t].staffed for t in run]
        unavoidable = 0
        could: dict[int, Counter[str]] = defaultdict(Counter)
        could_not: dict[int, Counter[str]] = defaultdict(Counter)
        for t in run:
            possible = self._speaker_reasons(lang, t, could, could_not)
            unavoidable += max(0, rows[t].required - possible)
        unavoidable = min(unavoidable, sum(missing))
        # a stretch the roster could have covered is explained by the speakers who
        # could have worked it; one no roster could cover, by those who could not
        traded = unavoidable < sum(missing)
        reason, details = self._summarise(lang, could if traded else could_not, could, could_not)
        step = self.scenario.horizon.interval
        return Gap(
            language=self.languages[lang],
            start_utc=rows[run[0]].interval_start_utc,
            end_utc=rows[run[-1]].interval_start_utc + step,
            local_zone=self._home_zone(lang),
            intervals=len(run),
            missing_agent_intervals=sum(missing),
            max_missing=max(missing),
            unavoidable_agent_intervals=unavoidable,
            reason=reason,
            details=details,
        )

    def _speaker_reasons(
        self,
        lang: int,
        t: int,
        could: dict[int, Counter[str]],
        could_not: dict[int, Counter[str]],
    ) -> int:
        """How many speakers could possibly work interval t; each speaker's reason is
        counted under ``could`` (he could have served it) or ``could_not``."""
        possible = 0
        for a in self.speakers[lang]:
            chosen = self.chosen_by_agent.get(a, [])
            if any(self.problem.options[o].covers(t) for o in chosen):
                possible += 1
                could[a]["serving another language"] += 1
                continue
            covering = self._covering(a).get(t, [])
            if not covering:
                could_not[a][self._unavailable_reason(a, t)] += 1
                continue
            possible += 1
            could[a][self._not_chosen_reason(a, covering)] += 1
        return possible

    @cache  # noqa: B019 - one explainer lives for one roster
    def _covering(self, a: int) -> dict[int, list[int]]:
        """The agent's own options by the intervals they cover whole."""
        return self._by_interval(self.problem.agents[a].options)

    @cache  # noqa: B019
    def _holidays(self, site: int) -> dict:
        return holidays_of(self.scenario.sites[site], self.scenario)

    @cache  # noqa: B019
    def _site_covering(self, site: int) -> dict[int, list[int]]:
        options = self.problem.options
        return self._by_interval(o for o, option in enumerate(options) if option.site == site)

    def _by_interval(self, indexes) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for o in indexes:
            option = self.problem.options[o]
            for t in range(option.first_interval, option.last_interval + 1):
                found[t].append(o)
        return found

    def _unavailable_reason(self, a: int, t: int) -> str:
        """Why none of the agent's own options covers t, naming his site."""
        agent = self.problem.agents[a]
        site = self.scenario.sites[agent.site]
        site_options = self._site_covering(agent.site).get(t, [])
        if not site_options:
            return f"no shift of {site.name} covers this time"
        agent_id = self.translated.agent_ids[a]
        dates = {self.translated.sources[o].date for o in site_options}
        if any(t_off.covers(d) for t_off in self.scenario.time_off_of(agent_id) for d in dates):
            return "time off"
        allowed = set(self.scenario.agent(agent_id).shift_ids)
        if not any(self.translated.sources[o].shift_id in allowed for o in site_options):
            return "no allowed shift covers this time"
        holidays = self._holidays(agent.site)
        if not site.rules.work_on_public_holidays and any(d in holidays for d in dates):
            return "public holiday"
        if self.scenario.history_by_agent.get(agent_id):
            return "rest after a shift before the period"
        return "not available"

    def _not_chosen_reason(self, a: int, covering: list[int]) -> str:
        agent = self.problem.agents[a]
        options = self.problem.options
        chosen = self.chosen_by_agent.get(a, [])
        block_of = self.problem.block_of_day
        for o in covering:
            option = options[o]
            same_day = [c for c in chosen if options[c].day == option.day]
            if same_day:
                return "working another shift that day"
        option = options[covering[0]]
        block = block_of[option.day]
        block_minutes = sum(options[c].minutes for c in chosen if block_of[options[c].day] == block)
        if block_minutes + option.minutes > agent.max_minutes_per_block:
            return "weekly hours used up"
        rest = agent.rules.min_rest_minutes
        for c in chosen:
            other = options[c]
            if abs(other.day - option.day) <= 2 and (
                other.end_minute + rest > option.start_minute
                and option.end_minute + rest > other.start_minute
            ):
                return "rest rule"
        days_in_block = {options[c].day for c in chosen if block_of[options[c].day] == block}
        block_length = len(self.problem.blocks[block])
        if len(days_in_block) >= block_length - agent.rules.min_days_off_per_block:
            return "days off rule"
        return "consecutive days or traded for other hours"

    def _summarise(
        self,
        lang: int,
        binding: dict[int, Counter[str]],
        could: dict[int, Counter[str]],
        could_not: dict[int, Counter[str]],
    ) -> tuple[str, str]:
        """The reason that binds most speakers, and every reason in whole people:
        each speaker counted once, under what held him most of the stretch."""
        if not self.speakers[lang]:
            return "no speaker of this language", "nobody in agents.csv speaks it"
        people: Counter[str] = Counter()
        for a in self.speakers[lang]:
            counts = could.get(a, Counter()) + could_not.get(a, Counter())
            if counts:
                people[counts.most_common(1)[0][0]] += 1
        chosen: Counter[str] = Counter()
        for reasons in binding.values():
            chosen[reasons.most_common(1)[0][0]] += 1
        top = (chosen or people).most_common(1)[0][0]
        speakers = len(self.speakers[lang])
        details = "; ".join(
            f"{name}: {count} of {speakers} speaker{'s' if speakers != 1 else ''}"
            for name, count in people.most_common()
        )
        return top, details

    def _home_zone(self, lang: int) -> str:
        sites = Counter(self.problem.agents[a].site for a in self.speakers[lang])
        if not sites:
            return "UTC"
        site_index = sites.most_common(1)[0][0]
        return self.scenario.sites[site_index].timezone
