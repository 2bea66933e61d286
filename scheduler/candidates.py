"""What would cut shortfall most: candidate changes, screened fast, the best confirmed.

Candidates: one more agent at a site speaking one short language (on the site's
usual contract hours), an existing agent learning a short language (those with the
most contract hours left unscheduled), one more 8-hour shift at a site (starting
at the local hour where its agents' languages are shortest, for every agent who
may work all of the site's shifts), and a site working its public holidays.

1. **Capacity** (instant): the most a change could ever cover, proved: a new speaker
   of L at site S covers at most the intervals with L demand that S's shifts reach,
   and no more than his hours a week allow. Candidates are taken in this order.
2. **Screen** (a second or two each, the best two of each kind): the change
   applied to the current roster, the greedy filling in what it makes possible and
   a short local search moving shifts to use it; credited with the shortfall it
   removes beyond the same screen on the unchanged roster (found, not estimated).
3. **Confirm** (the best few, a short solve each from the current roster, which
   every change keeps valid): the shortfall found and the LP bound after the
   change, so "at most -310 (proved), -280 found": no roster with the change can
   have less shortfall than the bound, so the reduction from today's roster is at
   most shortfall now - bound after.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import time as clock_time
from statistics import median

from scheduler.domain import Agent, Assignment, Scenario, ShiftTemplate
from scheduler.pipeline import SolveOptions, solve_scenario
from scheduler.requirements import RequirementTable, compute_requirements
from scheduler.solver_input import build_problem
from scheduler.what_if import AddAgents, Teach
from solver.evaluate import objective_terms
from solver.greedy import allocated_roster, greedy_roster
from solver.local_search import local_search
from solver.rules.weekly_hours import block_reachable_minutes

SHORT_LANGUAGES = 3
"""Candidates are made for the languages with the most shortfall."""
TEACH_PER_LANGUAGE = 3
SCREENED_PER_KIND = 2
SCREEN_STEPS = 300
SCREEN_SECONDS = 15.0
"""The screens stop after this long (the first always runs), so a ranking of a large
period stays within about a minute with its confirming solves."""
"""Local search steps after the greedy fill in a screen (about a second on the spec example)."""
NEW_SHIFT_HOURS = 8
NEW_SHIFT_ID = "whatif-new"
CONFIRMED = 3


@dataclass(frozen=True)
class Candidate:
    kind: str
    """``hire``, ``teach``, ``shift`` or ``holidays``."""
    label: str
    hire: AddAgents | None = None
    teach: Teach | None = None
    site: str | None = None
    """For ``holidays`` and ``shift``: the site changed."""
    start: clock_time | None = None
    """For ``shift``: the new shift's local start (8 hours long)."""

    def apply(self, scenario: Scenario) -> Scenario:
        """The scenario with this change (every roster of the old one stays valid)."""
        if self.hire is not None:
            site = scenario.site(self.hire.site)
            new = Agent(
                id=f"WHATIF-{site.id}-001",
                name=f"New hire at {site.name}",
                site_id=site.id,
                languages=self.hire.languages,
                hours_per_week=self.hire.hours,
                shift_ids=tuple(t.id for t in site.shifts),
            )
            return replace(scenario, agents=(*scenario.agents, new))
        if self.teach is not None:
            agents = tuple(
                replace(a, languages=(*a.languages, self.teach.language))
                if a.id == self.teach.agent_id
                else a
                for a in scenario.agents
            )
            return replace(scenario, agents=agents)
        if self.start is not None:
            return _with_new_shift(scenario, self.site, self.start)
        sites = tuple(
            replace(s, rules=replace(s.rules, work_on_public_holidays=True))
            if s.id == self.site
            else s
            for s in scenario.sites
        )
        return replace(scenario, sites=sites)


@dataclass
class Ranked:
    candidate: Candidate
    capacity: int
    """Proved: the most agent-intervals the change could ever cover."""
    screened: int | None = None
    """Found by adding the change to the current roster and filling in greedily."""
    found: int | None = None
    """Found by a short solve with the change, from the current roster."""
    proved: int | None = None
    """At most this much less shortfall than now, by the LP bound after the change."""
    shortfall_after: int | None = None
    bound_after: int | None = None

    def as_dict(self) -> dict:
        c = self.candidate
        change = {"kind": c.kind, "label": c.label}
        if c.hire:
            change |= {"site": c.hire.site, "languages": list(c.hire.languages)}
            change |= {"hours": c.hire.hours}
        if c.teach:
            change |= {"agent_id": c.teach.agent_id, "language": c.teach.language}
        if c.site:
            change |= {"site": c.site}
        if c.start:
            change |= {"start": c.start.strftime("%H:%M"), "hours": NEW_SHIFT_HOURS}
        return change | {
            "capacity": self.capacity,
            "screened": self.screened,
            "found": self.found,
            "proved": self.proved,
            "shortfall_after": self.shortfall_after,
            "bound_after": self.bound_after,
        }


@dataclass
class Ranking:
    shortfall: int
    bound: int | None
    ranked: list[Ranked] = field(default_factory=list)
    seconds: float = 0.0


def candidates(
    scenario: Scenario, requirements: RequirementTable, roster: tuple[Assignment, ...]
) -> list[tuple[Candidate, int]]:
    """Every candidate with its capacity (proved most it could cover), best first."""
    translated = build_problem(scenario, requirements)
    problem = translated.problem
    keys, _ = translated.keys(roster)
    short = _shortfall_by_language(problem, keys)
    languages = [lang for lang, total in sorted(short.items(), key=lambda x: -x[1]) if total]
    languages = languages[:SHORT_LANGUAGES]
    reach = _site_reach(problem)
    interval_minutes = problem.interval_minutes
    weeks = max(1, math.ceil(problem.days / 7))
    found: list[tuple[Candidate, int]] = []
    by_site_hours = defaultdict(list)
    for agent in scenario.agents:
        by_site_hours[agent.site_id].append(agent.hours_per_week)
    for s, site in enumerate(scenario.sites):
        hours = median(by_site_hours[site.id]) if by_site_hours[site.id] else 40.0
        most = int(hours * 60 * weeks // interval_minutes)
        for lang in languages:
            name = problem.languages[lang]
            demand = sum(1 for t in reach[s] if problem.required[lang][t] > 0)
            hire = AddAgents(site.id, (name,), hours, 1)
            label = f"1 more {name} speaker at {site.name} on {hours:g} h"
            found.append((Candidate("hire", label, hire=hire), min(demand, most)))
    worked = defaultdict(int)
    for a, o in keys:
        worked[a] += problem.options[o].minutes
    for lang in languages:
        name = problem.languages[lang]
        idle = sorted(
            (
                (sum(block_reachable_minutes(problem, agent)) - worked[a], a)
                for a, agent in enumerate(problem.agents)
                if lang not in agent.languages
            ),
            reverse=True,
        )[:TEACH_PER_LANGUAGE]
        for _, a in idle:
            agent = scenario.agents[a]
            site_index = problem.agents[a].site
            demand = sum(1 for t in reach[site_index] if problem.required[lang][t] > 0)
            # his shifts stay his: he can be present the minutes their lengths reach
            reachable = sum(block_reachable_minutes(problem, problem.agents[a]))
            most = reachable // interval_minutes
            label = f"{agent.name} ({agent.id}, {agent.site_id}) learns {name}"
            found.append(
                (Candidate("teach", label, teach=Teach(agent.id, name)), min(demand, most))
            )
    found.extend(_new_shifts(scenario, problem, keys, short, languages, weeks))
    for site in scenario.sites:
        if site.rules.work_on_public_holidays:
            continue
        people = [agent for agent in scenario.agents if agent.site_id == site.id]
        if not people:
            continue
        label = f"{site.name} works its public holidays"
        most = sum(int(a.hours_per_week * 60 * weeks // interval_minutes) for a in people)
        found.append((Candidate("holidays", label, site=site.id), most))
    found.sort(key=lambda item: -item[1])
    return found


def rank(
    scenario: Scenario,
    roster: tuple[Assignment, ...],
    shortfall: int,
    bound: int | None,
    confirm_seconds: float = 20.0,
    screened: int = SCREENED_PER_KIND,
    confirmed: int = CONFIRMED,
    seed: int = 0,
) -> Ranking:
    """Capacity for all, screen the best ``screened`` of each kind, confirm the best
    ``confirmed``."""
    started = time.monotonic()
    requirements = compute_requirements(scenario)
    base = build_problem(scenario, requirements)
    keys, _ = base.keys(roster)
    # the screen's own search on the unchanged roster, so a candidate is credited only
    # with what its change adds, not with what a few more search steps find anyway
    now = _screen(base.problem, keys, seed)
    ranking = Ranking(shortfall, bound)
    listed = candidates(scenario, requirements, roster)
    ranking.ranked = [Ranked(candidate, capacity) for candidate, capacity in listed]
    per_kind: dict[str, int] = defaultdict(int)
    screen_until = time.monotonic() + SCREEN_SECONDS
    for item in ranking.ranked:
        if per_kind[item.candidate.kind] >= screened:
            continue
        if time.monotonic() > screen_until and any(per_kind.values()):
            break  # the screen's time is up: the rest keep their capacity only
        per_kind[item.candidate.kind] += 1
        changed = item.candidate.apply(scenario)
        translated = build_problem(changed, requirements)
        start, _ = translated.keys(roster)
        item.screened = max(0, now - _screen(translated.problem, start, seed))
    top = sorted(
        (r for r in ranking.ranked if r.screened is not None),
        key=lambda r: (-r.screened, -r.capacity),
    )[:confirmed]
    for item in top:
        changed = item.candidate.apply(scenario)
        options = SolveOptions(time_limit_seconds=confirm_seconds, seed=seed)
        solved = solve_scenario(changed, options, start=roster)
        after = solved.roster.summary
        item.shortfall_after = after["shortfall"]
        item.bound_after = after.get("bound")
        item.found = shortfall - after["shortfall"]
        if item.bound_after is not None:
            item.proved = shortfall - item.bound_after
    ranking.ranked.sort(
        key=lambda r: (
            r.found is None,
            -(r.found or 0),
            r.screened is None,
            -(r.screened or 0),
            -r.capacity,
        )
    )
    ranking.seconds = round(time.monotonic() - started, 1)
    return ranking


def _screen(problem, keys, seed: int) -> int:
    """Shortfall after the greedy fills in around ``keys`` and a short local search
    (a fixed number of steps: the same screen for every candidate)."""
    filled = set(greedy_roster(problem, start=sorted(keys)).chosen)
    searched = local_search(problem, filled, time.monotonic() + 60, seed, SCREEN_STEPS)
    return objective_terms(problem, sorted(searched))["shortfall"]


def _new_shifts(scenario, problem, keys, short, languages, weeks) -> list[tuple[Candidate, int]]:
    """Per site, an 8-hour shift at the local hour whose 8 hours hold the most
    shortfall of the short languages its agents speak (by the first date's offset)."""
    staffed = greedy_allocation(problem, keys)
    gaps = [
        [max(0, need - staffed[lang][t]) for t, need in enumerate(problem.required[lang])]
        for lang in range(len(problem.languages))
    ]
    per_hour = 60 // problem.interval_minutes
    found = []
    for s, site in enumerate(scenario.sites):
        spoken = {lang for agent in problem.agents if agent.site == s for lang in agent.languages}
        spoken &= set(languages)
        people = [a for a in scenario.agents if a.site_id == site.id]
        if not spoken or not people:
            continue
        reference = next((o for o in problem.options if o.site == s and o.day == 0), None)
        if reference is None:
            continue
        offset = reference.start_minute - reference.start_local_minute_of_day  # UTC - local
        taken = {t.start.hour for t in site.shifts if t.start.minute == 0}
        best = None
        for hour in range(24):
            if hour in taken:
                continue
            missing = 0
            for day in range(problem.days):
                first = (day * 1440 + hour * 60 + offset) // problem.interval_minutes
                span = range(max(0, first), min(problem.interval_count, first + 8 * per_hour))
                missing += sum(gaps[lang][t] for lang in spoken for t in span)
            if best is None or missing > best[0]:
                best = (missing, hour)
        if best is None or not best[0]:
            continue
        most = sum(int(a.hours_per_week * 60 * weeks // problem.interval_minutes) for a in people)
        start = clock_time(best[1], 0)
        label = f"a new {NEW_SHIFT_HOURS} h shift at {site.name} starting {start:%H:%M} local"
        found.append((Candidate("shift", label, site=site.id, start=start), min(best[0], most)))
    return found


def _with_new_shift(scenario: Scenario, site_id: str, start: clock_time) -> Scenario:
    """The site with one more shift template, open to every agent of the site who may
    work all its shifts today (others keep their own lists)."""
    template = ShiftTemplate(NEW_SHIFT_ID, start, NEW_SHIFT_HOURS)
    site = scenario.site(site_id)
    everything = {t.id for t in site.shifts}
    sites = tuple(
        replace(s, shifts=(*s.shifts, template)) if s.id == site_id else s for s in scenario.sites
    )
    agents = tuple(
        replace(a, shift_ids=(*a.shift_ids, NEW_SHIFT_ID))
        if a.site_id == site_id and set(a.shift_ids) >= everything
        else a
        for a in scenario.agents
    )
    return replace(scenario, sites=sites, agents=agents)


def _shortfall_by_language(problem, keys) -> dict[int, int]:
    allocated = greedy_allocation(problem, keys)
    return {
        lang: sum(
            max(0, need - allocated[lang][t]) for t, need in enumerate(problem.required[lang])
        )
        for lang in range(len(problem.languages))
    }


def greedy_allocation(problem, keys) -> list[list[int]]:
    """Agents serving each language per interval, by the solver's own allocation."""
    return allocated_roster(problem, sorted(keys)).staffed


def _site_reach(problem) -> dict[int, set[int]]:
    """Intervals each site's shifts cover on some date."""
    reach: dict[int, set[int]] = defaultdict(set)
    for option in problem.options:
        reach[option.site].update(range(option.first_interval, option.last_interval + 1))
    return reach
