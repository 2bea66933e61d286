"""The naive roster a benchmark compares against: each agent works one fixed
shift, five days on and two off, skipping dates he may not work and never
breaking a hard rule (hours, rest, consecutive days, days off)."""

from __future__ import annotations

from collections import Counter

from solver.input import SolverInput
from solver.rules.days_off import days_off_needed


def naive_roster(problem: SolverInput) -> tuple[tuple[int, int], ...]:
    chosen = []
    options = problem.options
    for a, agent in enumerate(problem.agents):
        if not agent.options:
            continue
        favourite = Counter(options[o].template for o in agent.options).most_common(1)[0][0]
        by_day = {options[o].day: o for o in agent.options if options[o].template == favourite}
        run = 0
        last_end = None
        for block in problem.blocks:
            worked_days = minutes = 0
            allowed_days = min(
                5, len(block) - days_off_needed(agent.rules.min_days_off_per_block, len(block))
            )
            for day in block:
                o = by_day.get(day)
                fits = (
                    o is not None
                    and worked_days < allowed_days
                    and minutes + options[o].minutes <= agent.max_minutes_per_block
                    and run < agent.rules.max_consecutive_days
                    and (
                        last_end is None
                        or options[o].start_minute >= last_end + agent.rules.min_rest_minutes
                    )
                )
                if not fits:
                    run = 0
                    continue
                chosen.append((a, o))
                worked_days += 1
                minutes += options[o].minutes
                run += 1
                last_end = options[o].end_minute
    return tuple(chosen)
