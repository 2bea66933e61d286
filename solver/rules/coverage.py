"""Coverage: agents present per interval, allocated to one language each.

Agents who speak the same set of (demanded) languages are interchangeable for
coverage, so presence is counted per language set and only those counts are
split over languages (``allocated``) — far fewer variables than one allocation
per agent, and exactly as strong: a bipartite allocation of integer counts
always has an integral solution.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS, Penalty
from solver.variables import RosterVariables


class Coverage:
    """Adds the coverage constraints and exposes shortfall and floor-gap terms."""

    def __init__(
        self, model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
    ) -> None:
        self.problem = problem
        presence = self._presence_by_group(variables, problem)
        for t, group, count in problem.history_present:
            presence[group][t].append(count)
        group_languages = sorted(presence)
        group_sizes = {g: 0 for g in group_languages}
        for agent in problem.agents:
            if agent.languages:
                group_sizes[agent.languages] += 1

        self.allocated: dict[tuple[tuple[int, ...], int, int], cp_model.IntVar] = {}
        """(language set, language, interval) -> agents of the set serving that language."""
        staffed_terms: dict[tuple[int, int], list[cp_model.LinearExprT]] = defaultdict(list)
        for group in group_languages:
            for t, present in presence[group].items():
                wanted = [lang for lang in group if problem.required[lang][t] > 0]
                if not wanted:
                    continue
                if len(wanted) == 1:
                    staffed_terms[wanted[0], t].append(sum(present))
                    continue
                shares = []
                for lang in wanted:
                    upper = min(group_sizes[group], problem.required[lang][t])
                    share = model.new_int_var(0, upper, f"allocated({group},{lang},{t})")
                    self.allocated[group, lang, t] = share
                    staffed_terms[lang, t].append(share)
                    shares.append(share)
                model.add(sum(shares) <= sum(present))

        self.shortfall: dict[tuple[int, int], cp_model.IntVar] = {}
        self.floor_gap: dict[tuple[int, int], cp_model.IntVar] = {}
        for lang, name in enumerate(problem.languages):
            floor = problem.floor[lang]
            for t in range(problem.interval_count):
                need = problem.required[lang][t]
                if need <= 0:
                    continue
                staffed = sum(staffed_terms.get((lang, t), []))
                short = model.new_int_var(0, need, f"under_cover({name},{t})")
                model.add(short >= need - staffed)
                self.shortfall[lang, t] = short
                if floor > 0:
                    gap = model.new_bool_var(f"floor_gap({name},{t})")
                    model.add(staffed + floor * gap >= floor)
                    self.floor_gap[lang, t] = gap

    @staticmethod
    def _presence_by_group(
        variables: RosterVariables, problem: SolverInput
    ) -> dict[tuple[int, ...], dict[int, list[cp_model.IntVar]]]:
        presence: dict[tuple[int, ...], dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for (a, o), var in variables.assigned.items():
            group = problem.agents[a].languages
            if not group:
                continue
            option = problem.options[o]
            for t in range(option.first_interval, option.last_interval + 1):
                presence[group][t].append(var)
        return presence

    def total_shortfall(self) -> cp_model.LinearExprT:
        return sum(self.shortfall.values())

    def total_floor_gaps(self) -> cp_model.LinearExprT:
        return sum(self.floor_gap.values())

    def penalties(self) -> list[Penalty]:
        return [
            Penalty("floor_gaps", self.total_floor_gaps(), floor_gap_weight(self.problem)),
            Penalty("shortfall", self.total_shortfall(), WEIGHTS.shortfall),
        ]


def floor_gap_weight(problem: SolverInput) -> int:
    """Floors first, strictly: one floor gap outweighs all the shortfall the problem
    could have (at least the default weight), so no search trades a floor gap for
    shortfall, whatever the size of the neighbourhood."""
    most_shortfall = sum(sum(row) for row in problem.required)
    return max(WEIGHTS.floor_gap, WEIGHTS.shortfall * (most_shortfall + 1))
