"""A lower bound on shortfall that needs no search.

Per interval, allocate every agent who has *any* allowed shift covering it
(ignoring that he cannot work all of them) to languages: what even that
leaves uncovered no roster can cover. Summed over intervals it is a valid,
if loose, bound; it is also how gaps are proved unavoidable.
"""

from __future__ import annotations

from collections import Counter

from solver.allocation import allocate, staffed_by_language
from solver.input import SolverInput


def possibly_present(problem: SolverInput) -> list[Counter[tuple[int, ...]]]:
    """Per interval, the agents (by language set) with an allowed shift covering it."""
    present = [Counter(groups) for groups in problem.history_presence()]
    for agent in problem.agents:
        if not agent.languages:
            continue
        covered: set[int] = set()
        for o in agent.options:
            option = problem.options[o]
            covered.update(range(option.first_interval, option.last_interval + 1))
        for t in covered:
            present[t][agent.languages] += 1
    return present


def capacity_by_interval(problem: SolverInput) -> list[int]:
    """Per interval, the shortfall even everyone who could be there leaves."""
    found = []
    languages = range(len(problem.languages))
    for t, groups in enumerate(possibly_present(problem)):
        required = {lang: problem.required[lang][t] for lang in languages}
        staffed = staffed_by_language(allocate(groups, required, {}))
        found.append(sum(max(0, need - staffed.get(lang, 0)) for lang, need in required.items()))
    return found


def capacity_bound(problem: SolverInput) -> int:
    return sum(capacity_by_interval(problem))
