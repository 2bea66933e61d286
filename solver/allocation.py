"""Allocate the agents present in one interval to languages: a min-cost max-flow.

Agents are grouped by the set of languages they speak. Flow is capped at each
language's requirement; among maximum flows the cheapest fills always-on
floors first. Augmenting paths never take flow away from a language, so a
maximum flow that also covers every coverable floor exists: this allocation
minimises shortfall and, within it, floor gaps.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from ortools.graph.python import min_cost_flow

Language = TypeVar("Language", bound=Hashable)

FLOOR_UNIT_COST = -1_000
DEMAND_UNIT_COST = -1


def allocate(
    groups: Mapping[tuple[Language, ...], int],
    required: Mapping[Language, int],
    floors: Mapping[Language, int],
) -> dict[tuple[tuple[Language, ...], Language], int]:
    """Agents of each language set serving each language (never above required)."""
    wanted = [lang for lang, need in required.items() if need > 0]
    present = {g: n for g, n in groups.items() if n > 0 and any(x in required for x in g)}
    if not wanted or not present:
        return {}
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    group_node = {g: 2 + i for i, g in enumerate(present)}
    language_node = {lang: 2 + len(present) + i for i, lang in enumerate(wanted)}
    group_arcs = {}
    for group, size in present.items():
        flow.add_arc_with_capacity_and_unit_cost(source, group_node[group], size, 0)
        for lang in group:
            if lang in language_node:
                group_arcs[group, lang] = flow.add_arc_with_capacity_and_unit_cost(
                    group_node[group], language_node[lang], size, 0
                )
    for lang in wanted:
        need = required[lang]
        floor_part = min(floors.get(lang, 0), need)
        if floor_part:
            flow.add_arc_with_capacity_and_unit_cost(
                language_node[lang], sink, floor_part, FLOOR_UNIT_COST
            )
        if need - floor_part:
            flow.add_arc_with_capacity_and_unit_cost(
                language_node[lang], sink, need - floor_part, DEMAND_UNIT_COST
            )
    # max-flow with min cost still needs the source and sink marked by supplies
    total = sum(present.values())
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"allocation flow failed with status {status}")
    return {key: flow.flow(arc) for key, arc in group_arcs.items() if flow.flow(arc)}


def staffed_by_language(
    allocation: Mapping[tuple[tuple[Language, ...], Language], int],
) -> dict[Language, int]:
    staffed: dict[Language, int] = {}
    for (_, lang), count in allocation.items():
        staffed[lang] = staffed.get(lang, 0) + count
    return staffed
