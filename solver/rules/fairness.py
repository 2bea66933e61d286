"""Night, weekend and holiday-eve shifts spread evenly within a site, and among the
speakers of a language across sites (the Japanese speakers in Dublin should not take
every night for Japan while those in Tokyo work days).

For each group and kind of unsocial shift, the penalty is the spread (most minus
fewest) of such shifts among the group's agents who may work them. Kinds are in the
agent's local time (a Dublin night is a night in Dublin).
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS, Penalty
from solver.variables import RosterVariables

UNSOCIAL_KINDS = ("is_night", "is_weekend", "is_holiday_eve")


def fairness_groups(problem: SolverInput) -> dict[tuple[str, int, str], list[int]]:
    """(``site``, site, kind) and (``language``, language, kind) -> agents who may work
    that kind; a language's group only when its speakers sit at more than one site."""
    groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    options = problem.options
    for a, agent in enumerate(problem.agents):
        kinds = {
            kind for o in agent.options for kind in UNSOCIAL_KINDS if getattr(options[o], kind)
        }
        for kind in sorted(kinds):
            groups["site", agent.site, kind].append(a)
            for lang in agent.languages:
                groups["language", lang, kind].append(a)
    return {
        key: members
        for key, members in groups.items()
        if len(members) > 1
        and (key[0] == "site" or len({problem.agents[a].site for a in members}) > 1)
    }


def fair_unsocial_shifts(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> list[Penalty]:
    counts: dict[tuple[int, str], cp_model.LinearExprT] = {}
    for a in range(len(problem.agents)):
        own: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for day in range(problem.days):
            for o, var in variables.options_on(a, day):
                for kind in UNSOCIAL_KINDS:
                    if getattr(problem.options[o], kind):
                        own[kind].append(var)
        for kind, chosen in own.items():
            counts[a, kind] = sum(chosen)
    spreads = []
    for (group, index, kind), members in fairness_groups(problem).items():
        most = model.new_int_var(0, problem.days, f"most({kind},{group}={index})")
        fewest = model.new_int_var(0, problem.days, f"fewest({kind},{group}={index})")
        for a in members:
            model.add(most >= counts[a, kind])
            model.add(fewest <= counts[a, kind])
        spreads.append(most - fewest)
    return [Penalty("unfair_unsocial_shifts", sum(spreads), WEIGHTS.unfair_shift)]
