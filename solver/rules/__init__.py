"""Every rule of the roster model, listed in one place.

A hard rule is ``rule(model, variables, problem) -> None``; a soft term is
``term(model, variables, problem) -> list[Penalty]``. Each shares its name with
the checker's rule and with its tests.
"""

from solver.rules.changes import roster_changes
from solver.rules.consecutive_days import allows_max_consecutive_days, max_consecutive_days
from solver.rules.contract_hours import unscheduled_contract_hours
from solver.rules.coverage import Coverage
from solver.rules.days_off import allows_min_days_off, min_days_off
from solver.rules.fairness import fair_unsocial_shifts
from solver.rules.one_shift_per_date import allows_one_shift_per_date, one_shift_per_date
from solver.rules.preferences import unmet_preferences
from solver.rules.rest import allows_min_rest, min_rest
from solver.rules.stable_starts import stable_start_times
from solver.rules.start_spread import allows_max_start_spread, max_start_spread
from solver.rules.weekly_hours import allows_max_weekly_hours, max_weekly_hours

HARD_RULES = (
    one_shift_per_date,
    min_rest,
    max_consecutive_days,
    max_weekly_hours,
    min_days_off,
    max_start_spread,
)
"""Availability rules (site, allowed shifts, time off, holidays, DST gaps, rest
after history shifts) are enforced by construction: an agent only has variables
for options he may work."""

RULE_CHECKS = (
    allows_one_shift_per_date,
    allows_max_weekly_hours,
    allows_min_days_off,
    allows_min_rest,
    allows_max_consecutive_days,
    allows_max_start_spread,
)
"""The same rules, one module each, as the greedy and the local search test one
more shift (``AgentSchedule.fits``): CP-SAT's constraint and this check sit side
by side in the rule's module."""

SOFT_TERMS = (
    roster_changes,
    unscheduled_contract_hours,
    fair_unsocial_shifts,
    stable_start_times,
    unmet_preferences,
)

__all__ = ["HARD_RULES", "RULE_CHECKS", "SOFT_TERMS", "Coverage"]
