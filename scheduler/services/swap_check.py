"""What a swap does to a published roster: the shifts after it, the hard rules it
breaks and the language coverage it loses.

Pure functions on domain objects (no database), so the same judgement serves the
offer, the colleague's answer and the planner's decision. Rules are those of the
independent checker (``check_rules``: rest, consecutive days, weekly hours, days
off, time off, holidays, the colleague's site and allowed shifts, history at the
seam); coverage is the project's own allocation (``scheduler.allocation``) before
and after, per language and interval.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from scheduler.allocation import allocate_interval, present_groups
from scheduler.checker import Violation
from scheduler.checker.context import CheckContext
from scheduler.checker.rules import check_rules
from scheduler.domain import Assignment, Roster, Scenario
from scheduler.requirements import compute_requirements


@dataclass(frozen=True)
class SwapShifts:
    """The shifts a swap moves: the offerer's, and the colleague's one (None: a give-away)."""

    offerer: str
    colleague: str
    offered: Assignment
    wanted: Assignment | None


@dataclass(frozen=True)
class CoverageLoss:
    """Agent-intervals one language loses, and the UTC dates where."""

    language: str
    lost: int
    dates: tuple[date, ...]

    def __str__(self) -> str:
        days = ", ".join(d.isoformat() for d in self.dates)
        plural = "s" if self.lost != 1 else ""
        return f"coverage: {self.language} loses {self.lost} agent-interval{plural} on {days} (UTC)"


@dataclass
class SwapJudgement:
    """The roster after the swap, the rules it newly breaks and the coverage it loses."""

    after: tuple[Assignment, ...]
    violations: list[Violation] = field(default_factory=list)
    losses: list[CoverageLoss] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.violations and not self.losses

    def reason(self) -> str:
        """The rules named first, then the coverage lost; empty when clean."""
        parts = [_rule_text(v) for v in self.violations] + [str(loss) for loss in self.losses]
        return "; ".join(parts)

    def findings(self) -> dict:
        return {
            "violations": [
                {
                    "rule": v.rule,
                    "agent_id": v.agent_id,
                    "date": v.date.isoformat() if v.date else None,
                    "detail": v.message,
                    "message": _rule_text(v),
                }
                for v in self.violations
            ],
            "coverage": [
                {
                    "language": loss.language,
                    "lost": loss.lost,
                    "dates": [d.isoformat() for d in loss.dates],
                    "message": str(loss),
                }
                for loss in self.losses
            ],
        }


def _rule_text(violation: Violation) -> str:
    """``min_rest (A0001, 2027-06-09): 9 h between shifts (...), site rule needs 11 h``."""
    where = ", ".join(p for p in (violation.agent_id, violation.date and str(violation.date)) if p)
    return f"{violation.rule} ({where}): {violation.message}"


def swapped(shifts: SwapShifts, assignments: tuple[Assignment, ...]) -> tuple[Assignment, ...]:
    """The roster with the offered shift given to the colleague and hers (if any) to him;
    a moved shift keeps its site and instants (the checker names a colleague who may
    not work it: another site, a shift she is not allowed)."""
    moved = {_key(shifts.offered): replace(shifts.offered, agent_id=shifts.colleague)}
    if shifts.wanted is not None:
        moved[_key(shifts.wanted)] = replace(shifts.wanted, agent_id=shifts.offerer)
    return tuple(moved.get(_key(a), a) for a in assignments)


def judge(scenario: Scenario, before: tuple[Assignment, ...], shifts: SwapShifts) -> SwapJudgement:
    """Both agents' rules after the swap (only rules they did not already break count)
    and every language's coverage before and after."""
    after = swapped(shifts, before)
    judgement = SwapJudgement(after)
    for agent in (shifts.offerer, shifts.colleague):
        had = {(v.rule, v.date) for v in _agent_violations(scenario, before, agent)}
        judgement.violations.extend(
            v for v in _agent_violations(scenario, after, agent) if (v.rule, v.date) not in had
        )
    moved = [shifts.offered] + ([shifts.wanted] if shifts.wanted is not None else [])
    judgement.losses = coverage_losses(scenario, before, after, moved)
    return judgement


def _agent_violations(scenario: Scenario, assignments, agent: str) -> list[Violation]:
    own = tuple(a for a in assignments if a.agent_id == agent)
    return check_rules(CheckContext(scenario, Roster(own, (), {})))


def coverage_losses(
    scenario: Scenario,
    before: tuple[Assignment, ...],
    after: tuple[Assignment, ...],
    moved: list[Assignment],
) -> list[CoverageLoss]:
    """The coverage ``after`` loses in the intervals the moved shifts cover, per language.

    An interval loses coverage when its shortfall or its always-on floor gaps grow (the
    allocation minimises both, so these totals do not depend on how ties between
    languages are broken); the languages named are those staffed less there, by how
    many agent-intervals. Swapping like for like loses nothing."""
    requirements = compute_requirements(scenario)
    starts = requirements.interval_starts_utc
    step = scenario.horizon.interval
    touched = [
        t
        for t, start in enumerate(starts)
        if any(s.start_utc < start + step and start < s.end_utc for s in moved)
    ]
    if not touched:
        return []
    floors = {name: scenario.coverage.min_agents for name in scenario.coverage.always_on}
    history = [s for shifts in scenario.history_by_agent.values() for s in shifts]
    groups_before = present_groups(scenario, [*before, *history])
    groups_after = present_groups(scenario, [*after, *history])
    lost: dict[str, int] = defaultdict(int)
    days: dict[str, set[date]] = defaultdict(set)
    for t in touched:
        required = {name: requirements.at(name, t) for name in requirements.languages}
        was = allocate_interval(_ordered(groups_before[t]), required, floors)
        now = allocate_interval(_ordered(groups_after[t]), required, floors)
        if _misses(now, required, floors) <= _misses(was, required, floors):
            continue
        for name in requirements.languages:
            if now[name] < was[name]:
                lost[name] += was[name] - now[name]
                days[name].add(starts[t].date())
    return [CoverageLoss(name, lost[name], tuple(sorted(days[name]))) for name in sorted(lost)]


def _ordered(groups: Counter) -> Counter:
    """The same groups in one order, so equal presence gets the same allocation."""
    return Counter(dict(sorted(groups.items())))


def _misses(staffed: dict[str, int], required: dict[str, int], floors: dict[str, int]):
    """(shortfall, floor gaps) of one interval's allocation."""
    short = sum(max(0, required[name] - staffed[name]) for name in required)
    gaps = sum(1 for name, floor in floors.items() if name in staffed and staffed[name] < floor)
    return (short, gaps)


def _key(a: Assignment) -> tuple[str, date, str]:
    return (a.agent_id, a.date, a.shift_id)
