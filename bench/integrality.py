"""How much of the gap to the LP bound no roster can close: the integrality of each LP part.

    python bench/integrality.py M --seconds 120     # per LP part (a week of the month)

The LP bound (solver.lp_bound) adds up the LP optima of disjoint interval ranges. Here
each part's LP is solved again as a MIP (HiGHS, shift columns integer: agents of a
group work whole shifts), and HiGHS's dual bound after ``--seconds`` is printed beside
the LP's. The part's MIP is a relaxation of the roster problem restricted to its
intervals (rules keep only its shifts, a group's rows are its members' times the
count), so the sum of the parts' MIP dual bounds is a lower bound on every roster's
shortfall, like the LP bound, and above it by what integrality costs: a distance to
the LP bound that no search can close. The MIP's own best roster (found by HiGHS in
that time, for the part alone) is printed too. Minutes per case; not part of
``bench/run.py``. HiGHS's bounds are floating point (its tolerances), not recomputed
from duals: a measure for the bench, not the bound ``sunshift solve`` reports.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _problem(case: str, seed: int):
    from scheduler.imports import load_scenario
    from scheduler.requirements import compute_requirements
    from scheduler.solver_input import build_problem
    from scheduler.synthetic import BENCH_CASES, SIZES, write_scenario

    with tempfile.TemporaryDirectory() as folder:
        write_scenario(Path(folder), {**SIZES, **BENCH_CASES}[case], seed)
        scenario = load_scenario(folder)
    return build_problem(scenario, compute_requirements(scenario)).problem


def part_mip(lp, seconds: float) -> tuple[float, float, float]:
    """(LP optimum, MIP dual bound, MIP best found) of one part, HiGHS on one thread."""
    import highspy

    from solver.lp_bound import highs_model, quiet_highs

    model = highs_model(lp)
    relaxed = quiet_highs()
    relaxed.setOptionValue("solver", "ipm")
    relaxed.passModel(model)
    relaxed.run()
    integrality = [highspy.HighsVarType.kContinuous] * len(lp.c)
    for col in lp.shift_columns.values():
        integrality[col] = highspy.HighsVarType.kInteger
    model.integrality_ = integrality
    highs = quiet_highs()
    # the interior point solves the root LP in seconds where the simplex takes minutes
    highs.setOptionValue("mip_lp_solver", "ipx")
    highs.setOptionValue("time_limit", float(seconds))
    highs.passModel(model)
    highs.run()
    info = highs.getInfo()
    return (
        relaxed.getInfo().objective_function_value,
        info.mip_dual_bound,
        info.objective_function_value,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=120.0, help="per part")
    args = parser.parse_args()
    from solver.lp_bound import interval_parts, relaxation

    problem = _problem(args.case, args.seed)
    required = sum(sum(row) for row in problem.required)
    print(
        f"{args.case}: required {required}; per part: LP, MIP dual bound, MIP best (its part alone)"
    )
    totals = np.zeros(3)
    for k, part in enumerate(interval_parts(problem, 60.0)):
        started = time.monotonic()
        values = part_mip(relaxation(problem, part), args.seconds)
        totals += values
        print(
            f"part {k} (intervals {part.start}-{part.stop - 1}): LP {values[0]:.1f}, "
            f"MIP bound {values[1]:.1f}, MIP best {values[2]:.0f}  "
            f"({time.monotonic() - started:.0f} s)",
            flush=True,
        )
    lp, bound, best = totals
    print(
        f"total: LP {lp:.1f}, MIP bound {bound:.1f} (+{bound - lp:.1f}, "
        f"{100 * (bound - lp) / required:.2f}% of required), parts' MIP rosters {best:.0f}"
    )


if __name__ == "__main__":
    main()
