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
    agent-interval of shortfall (1,000) outweighs the contract minutes of any
    shift (at most 24 h = 1,440 minutes... a shift covers many intervals, so
    a shift that reduces shortfall always beats an idle contract hour);
    fairness and stable start times are worth less than half an hour of
    contract time per unit.
    """

    floor_gap: int = 100_000
    shortfall: int = 1_000
    unscheduled_minute: int = 1
    unfair_shift: int = 20
    start_time_change: int = 10


WEIGHTS = Weights()
