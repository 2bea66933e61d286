"""Named objective terms, so every penalty in a roster can be reported by name."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Penalty:
    name: str
    """Term family: ``floor_gap``, ``shortfall``, ``unscheduled_minutes``, ..."""
    expression: cp_model.LinearExprT
    weight: int


@dataclass(frozen=True)
class Weights:
    """Objective weights, chosen so the priorities are lexicographic in practice.

    One floor-gap interval outweighs 100 agent-intervals of shortfall; one
    agent-interval of shortfall (10,000) outweighs a week of idle contract
    minutes (at most 168 h = 10,080 minutes only for a full-time 7-day
    contract). Below that: an unmet preference costs as much as two idle contract
    hours, a further start time in a week one idle hour, so an agent is never
    left idle for a shift he did not prefer, but between rosters that cover the
    same the one with steadier weeks and more preferences granted wins; fairness
    is worth 20 idle minutes a unit.
    """

    floor_gap: int = 1_000_000
    """The least weight of a floor gap; CP-SAT models use ``floor_gap_weight``, which
    outweighs all the shortfall of the (sub-)problem: floors strictly first."""
    shortfall: int = 10_000
    roster_change: int = 100_000
    """A re-solve keeps the published roster: one added or removed shift costs as
    much as ten agent-intervals of shortfall, so a new shift must cover five
    uncovered hours (at 30-minute intervals) and a moved one ten."""
    unscheduled_minute: int = 1
    unfair_shift: int = 20
    start_time_change: int = 60
    unmet_preference: int = 120


WEIGHTS = Weights()


WEIGHT_BY_TERM = {
    "floor_gaps": WEIGHTS.floor_gap,
    "shortfall": WEIGHTS.shortfall,
    "roster_changes": WEIGHTS.roster_change,
    "unscheduled_minutes": WEIGHTS.unscheduled_minute,
    "unfair_unsocial_shifts": WEIGHTS.unfair_shift,
    "start_time_changes": WEIGHTS.start_time_change,
    "unmet_preferences": WEIGHTS.unmet_preference,
}
