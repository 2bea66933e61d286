"""Night, weekend and holiday-eve shifts spread evenly within a site.

For each site and kind of unsocial shift, the penalty is the spread (most minus
fewest) of such shifts among the agents of the site who may work them.
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS, Penalty
from solver.variables import RosterVariables

UNSOCIAL_KINDS = ("is_night", "is_weekend", "is_holiday_eve")


def fair_unsocial_shifts(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> list[Penalty]:
    counts: dict[tuple[int, str], list[cp_model.LinearExprT]] = defaultdict(list)
    for a, agent in enumerate(problem.agents):
        own: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for day in range(problem.days):
            for o, var in variables.options_on(a, day):
                for kind in UNSOCIAL_KINDS:
                    if getattr(problem.options[o], kind):
                        own[kind].append(var)
        for kind, chosen in own.items():
            counts[agent.site, kind].append(sum(chosen))
    spreads = []
    for (site, kind), per_agent in counts.items():
        if len(per_agent) < 2:
            continue
        most = model.new_int_var(0, problem.days, f"most({kind},site={site})")
        fewest = model.new_int_var(0, problem.days, f"fewest({kind},site={site})")
        for count in per_agent:
            model.add(most >= count)
            model.add(fewest <= count)
        spreads.append(most - fewest)
    return [Penalty("unfair_unsocial_shifts", sum(spreads), WEIGHTS.unfair_shift)]
