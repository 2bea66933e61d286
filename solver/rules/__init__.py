"""Every rule of the roster model, listed in one place.

A hard rule is ``rule(model, variables, problem) -> None``; a soft term is
``term(model, variables, problem) -> list[Penalty]``. Each shares its name with
the checker's rule and with its tests.
"""

from solver.rules.changes import roster_changes
from solver.rules.consecutive_days import max_consecutive_days
from solver.rules.contract_hours import unscheduled_contract_hours
from solver.rules.coverage import Coverage
from solver.rules.days_off import min_days_off
from solver.rules.fairness import fair_unsocial_shifts
from solver.rules.one_shift_per_date import one_shift_per_date
from solver.rules.rest import min_rest
from solver.rules.stable_starts import stable_start_times
from solver.rules.weekly_hours import max_weekly_hours

HARD_RULES = (
    one_shift_per_date,
    min_rest,
    max_consecutive_days,
    max_weekly_hours,
    min_days_off,
)
"""Availability rules (site, allowed shifts, time off, holidays, DST gaps) are
enforced by construction: an agent only has variables for options he may work."""

SOFT_TERMS = (
    roster_changes,
    unscheduled_contract_hours,
    fair_unsocial_shifts,
    stable_start_times,
)

__all__ = ["HARD_RULES", "SOFT_TERMS", "Coverage"]
