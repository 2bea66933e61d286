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
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

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


SERVING = (True, "serving another language")


@lru_cache(maxsize=1024)
def _outcome(possible: bool, reason: str) -> tuple[bool, str]:
    """One tuple per outcome (a few reasons per site), shared by every table."""
    return (possible, reason)


class KeptReasons:
    """Each agent's reasons by interval for one solver problem, per his chosen options.

    What ``GapExplainer._reason`` finds for an agent depends only on the problem (the
    scenario) and his own chosen options, so the explainers of several rosters of the
    same problem (a draft edited again and again) share them: after an edit only the
    edited agents' reasons are worked out again. At most ``PER_AGENT`` sets of chosen
    options are kept per agent, the least recently used forgotten first.
    """

    PER_AGENT = 4

    def __init__(self) -> None:
        self._tables: dict[int, OrderedDict[tuple[int, ...], dict]] = {}
        self._lock = threading.Lock()

    def table(self, a: int, chosen: tuple[int, ...]) -> dict[int, tuple[bool, str]]:
        with self._lock:
            own = self._tables.setdefault(a, OrderedDict())
            found = own.get(chosen)
            if found is None:
                found = own[chosen] = {}
                while len(own) > self.PER_AGENT:
                    own.popitem(last=False)
            else:
                own.move_to_end(chosen)
            return found


class GapExplainer:
    """Finds gaps and their reasons for one solved roster (``kept``: reasons kept for
    the same problem, see ``KeptReasons``)."""

    def __init__(
        self,
        scenario: Scenario,
        translated: TranslatedProblem,
        coverage: tuple[CoverageRow, ...],
        assignments: tuple[Assignment, ...],
        kept: KeptReasons | None = None,
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
        self.kept_reasons = kept
        self._memo: dict[tuple, Any] = {}
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
        possible, could, could_not = self._speaker_reasons(lang, run)
        unavoidable = sum(max(0, rows[t].required - p) for t, p in zip(run, possible, strict=True))
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
        self, lang: int, run: list[int]
    ) -> tuple[list[int], dict[int, Counter[str]], dict[int, Counter[str]]]:
        """How many speakers could possibly work each interval of the run, and each
        speaker's reasons over it, counted under ``could`` (he could have served it) or
        ``could_not``; each map holds the speakers in the order they first appear in
        it, interval by interval (ties between reasons go to the first one met)."""
        possible = [0] * len(run)
        able_at: list[tuple[int, int, int, Counter[str]]] = []
        unable_at: list[tuple[int, int, int, Counter[str]]] = []
        for rank, a in enumerate(self.speakers[lang]):
            table = self._table(a)
            able_reasons: list[str] = []
            unable_reasons: list[str] = []
            first_able = first_unable = -1
            for position, t in enumerate(run):
                able, reason = table[t] if t in table else self._reason(a, t)
                if able:
                    possible[position] += 1
                    if first_able < 0:
                        first_able = position
                    able_reasons.append(reason)
                else:
                    if first_unable < 0:
                        first_unable = position
                    unable_reasons.append(reason)
            if able_reasons:
                able_at.append((first_able, rank, a, Counter(able_reasons)))
            if unable_reasons:
                unable_at.append((first_unable, rank, a, Counter(unable_reasons)))
        could = {a: counts for _, _, a, counts in sorted(able_at, key=lambda e: e[:2])}
        could_not = {a: counts for _, _, a, counts in sorted(unable_at, key=lambda e: e[:2])}
        return possible, could, could_not

    def _reason(self, a: int, t: int) -> tuple[bool, str]:
        """Whether agent a could possibly work interval t, and why (not): his own
        shifts and the scenario decide it, whatever the language, so it is worked
        out once per agent and interval and reused by every gap of his languages."""
        table = self._table(a)
        found = table.get(t)
        if found is None:
            if t in self._serving(a):
                found = SERVING
            else:
                covering = self._covering(a, t)
                if covering:
                    found = _outcome(True, self._not_chosen_reason(a, covering))
                else:
                    found = _outcome(False, self._unavailable_reason(a, t))
            table[t] = found
        return found

    def _table(self, a: int) -> dict[int, tuple[bool, str]]:
        """The agent's reasons by interval: this explainer's own, or those kept for the
        problem and his chosen options (``KeptReasons``)."""

        def make() -> dict[int, tuple[bool, str]]:
            if self.kept_reasons is None:
                return {}
            return self.kept_reasons.table(a, tuple(sorted(self.chosen_by_agent.get(a, ()))))

        return self._once(("reasons", a), make)

    # Worked out once per explainer (one roster) and kept on it, not in a cache of the
    # class: a web process makes an explainer per edit and must not keep them all.

    def _once(self, key: tuple, make: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def _serving(self, a: int) -> frozenset[int]:
        """The intervals the agent's chosen shifts cover whole."""
        options = self.problem.options
        return self._once(
            ("serving", a),
            lambda: frozenset(
                t
                for o in self.chosen_by_agent.get(a, ())
                for t in range(options[o].first_interval, options[o].last_interval + 1)
            ),
        )

    def _time_off(self, agent_id: str) -> tuple:
        return self._once(("time off", agent_id), lambda: self.scenario.time_off_of(agent_id))

    def _covering(self, a: int, t: int) -> list[int]:
        """The agent's own options that cover interval t whole, in his options' order
        (found among his site's options covering t: a few, not all of his)."""
        agent = self.problem.agents[a]
        rank = self._once(("rank", a), lambda: {o: i for i, o in enumerate(agent.options)})
        return sorted(
            (o for o in self._site_covering(agent.site).get(t, ()) if o in rank),
            key=rank.__getitem__,
        )

    def _holidays(self, site: int) -> dict:
        return self._once(
            ("holidays", site), lambda: holidays_of(self.scenario.sites[site], self.scenario)
        )

    def _site_covering(self, site: int) -> dict[int, list[int]]:
        """The site's options by the intervals they cover whole."""
        return self._once(("site covering",), self._by_site_and_interval)[site]

    def _by_site_and_interval(self) -> dict[int, dict[int, list[int]]]:
        found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for o, option in enumerate(self.problem.options):
            by_interval = found[option.site]
            for t in range(option.first_interval, option.last_interval + 1):
                by_interval[t].append(o)
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
        if any(t_off.covers(d) for t_off in self._time_off(agent_id) for d in dates):
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
        block_of = self._once(("block of day",), lambda: self.problem.block_of_day)
        for o in covering:
            option = options[o]
            same_day = [c for c in chosen if options[c].day == option.day]
            if same_day:
                return "working another shift that day"
        option = options[covering[0]]
        block = block_of[option.day]
        block_minutes = sum(options[c].minutes for c in chosen if block_of[options[c].day] == block)
        if block_minutes + option.minutes > agent.max_minutes_per_block:
            if block_minutes < agent.max_minutes_per_block:
                # 34 of 40 h with 8.5 h shifts: hours are left, but no shift fits them
                return "weekly hours: no shift fits the hours left"
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
            mine, not_mine = could.get(a), could_not.get(a)
            counts = mine + not_mine if mine and not_mine else (mine or not_mine)
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
