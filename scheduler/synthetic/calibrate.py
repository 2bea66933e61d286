"""Scale each language's volume so its required agent-hours hit a target.

Required hours are measured with the project's own ``compute_requirements``
(Erlang C, email spread, shrinkage, ceilings, always-on floors), so the load a
benchmark reports is the load the solver sees. Required hours grow with volume
but not linearly (Erlang economies of scale, whole agents, floors), so each
language's factor is found by bisection on a log scale, all languages at once.

A small language can need more than its speakers' target even at the smallest
volume a market sends (one agent around the clock is 168 hours a week); such a
language keeps that smallest volume (see ``calibrate`` for who pays the excess).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping

from scheduler.domain import Scenario
from scheduler.requirements import compute_requirements

BuildScenario = Callable[[Mapping[str, float]], Scenario]
BISECTION_STEPS = 14


def required_hours(scenario: Scenario) -> dict[str, float]:
    """Agent-hours required per language over the horizon."""
    table = compute_requirements(scenario)
    hours_per_interval = scenario.horizon.interval_minutes / 60
    return {lang: sum(values) * hours_per_interval for lang, values in table.required.items()}


def _bisect(
    build: BuildScenario,
    fixed: Mapping[str, float],
    brackets: dict[str, tuple[float, float]],
    targets: Mapping[str, float],
) -> dict[str, float]:
    """Scales (for the languages in ``brackets``) whose required hours meet ``targets``."""
    low = {lang: math.log(lo) for lang, (lo, _) in brackets.items()}
    high = {lang: math.log(hi) for lang, (_, hi) in brackets.items()}
    for _ in range(BISECTION_STEPS):
        middle = {lang: (low[lang] + high[lang]) / 2 for lang in brackets}
        hours = required_hours(build({**fixed, **{k: math.exp(v) for k, v in middle.items()}}))
        for lang in brackets:
            if hours[lang] > targets[lang]:
                high[lang] = middle[lang]
            else:
                low[lang] = middle[lang]
    return {lang: math.exp((low[lang] + high[lang]) / 2) for lang in brackets}


def calibrate(
    build: BuildScenario,
    first_guess: Mapping[str, float],
    targets: Mapping[str, float],
    min_scale: float,
    scarce: Collection[str] = (),
) -> dict[str, float]:
    """Volume scale per language so required hours meet ``targets``.

    No language goes below ``min_scale``: a market always sends some contacts. A
    language whose floor already exceeds its target keeps ``min_scale``; if it is
    not ``scarce`` the other languages give up its excess so the total still
    meets the sum of targets. A scarce language's excess is left as it is: its
    few speakers cannot cover it, and starving every other language to make up
    for that would flatten the whole forecast to its floors.
    """
    languages = list(targets)
    floor_hours = required_hours(build(dict.fromkeys(languages, min_scale)))
    saturated = {lang for lang in languages if floor_hours[lang] >= targets[lang]}
    excess = sum(floor_hours[lang] - targets[lang] for lang in saturated if lang not in scarce)
    free = [lang for lang in languages if lang not in saturated]
    free_target = sum(targets[lang] for lang in free)
    adjusted = dict(targets)
    if free and excess:
        factor = max(0.05, 1 - excess / free_target)
        adjusted.update({lang: targets[lang] * factor for lang in free})
    fixed = dict.fromkeys(saturated, min_scale)
    brackets = {lang: (min_scale, max(first_guess[lang], min_scale) * 5) for lang in free}
    scales = _bisect(build, fixed, brackets, adjusted) if free else {}
    return {**fixed, **scales}
