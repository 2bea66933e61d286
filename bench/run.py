"""Benchmark the roster optimizer on seeded synthetic scenarios.

    python bench/run.py                      # S, M, the DST, year-end and scarce cases, DST89
    python bench/run.py L XL --seed 3        # the large ones (minutes each)
    python bench/run.py M --time-limit 300   # another time limit

Each case runs in its own process so peak memory is its own. Printed per case:
shortfall, the proven bound (the LP relaxation's, with the capacity and CP-SAT
bounds under it), gap to it as a share of required agent-intervals, floor gaps,
checker violations, wall time and peak memory; beside them the greedy start,
a plain CP-SAT model of the whole problem given the same time (cases up to
40,000 shift variables), and the naive baseline (one fixed shift, five on, two off).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIME_LIMITS = {
    "S": 60, "M": 60, "L": 300, "XL": 600, "DST": 60, "YE": 60, "SCARCE": 60, "DST89": 60
}  # fmt: skip
DEFAULT_CASES = ["S", "M", "DST", "YE", "SCARCE", "DST89"]
PLAIN_MAX_VARIABLES = 40_000


def _spec(case: str):
    from scheduler.synthetic import BENCH_CASES, SIZES

    return {**SIZES, **BENCH_CASES}[case]


def run_one(case: str, seed: int, time_limit: float, plain: bool) -> dict:
    from bench.baseline import naive_roster
    from scheduler.allocation import coverage_rows, floor_gaps_of, shortfall_of
    from scheduler.checker import check_roster
    from scheduler.imports import load_scenario
    from scheduler.pipeline import SolveOptions, solve_scenario
    from scheduler.requirements import compute_requirements
    from scheduler.solver_input import build_problem
    from scheduler.synthetic import write_scenario
    from solver.evaluate import objective_terms
    from solver.greedy import greedy_roster

    with tempfile.TemporaryDirectory() as folder:
        write_scenario(Path(folder), _spec(case), seed)
        scenario = load_scenario(folder)
    started = time.monotonic()
    solved = solve_scenario(scenario, SolveOptions(time_limit_seconds=time_limit, seed=seed))
    wall = time.monotonic() - started
    summary = solved.roster.summary
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    requirements = compute_requirements(scenario)
    problem = build_problem(scenario, requirements).problem
    greedy = objective_terms(problem, greedy_roster(problem).chosen)
    baseline = build_problem(scenario, requirements).assignments(naive_roster(problem))
    base_cov = coverage_rows(scenario, requirements, baseline)
    plain_terms = None
    variables = sum(len(agent.options) for agent in problem.agents)
    if plain and variables <= PLAIN_MAX_VARIABLES:
        plain_terms = _plain_cp_sat(problem, time_limit, seed)
    required = summary["required_total"] or 1
    bound = summary["bound"]
    return {
        "case": case,
        "agents": len(scenario.agents),
        "required": summary["required_total"],
        "status": summary["status"],
        "shortfall": summary["shortfall"],
        "bound": bound,
        "lp_value": summary.get("lp_value"),
        "gap_share": None if bound is None else (summary["shortfall"] - bound) / required,
        "floor_gaps": summary["floor_gaps"],
        "violations": len(summary["violations"]),
        "wall_seconds": round(wall, 1),
        "peak_mib": peak,
        "greedy_shortfall": greedy["shortfall"],
        "greedy_floor_gaps": greedy["floor_gaps"],
        "plain_shortfall": None if plain_terms is None else plain_terms["shortfall"],
        "plain_floor_gaps": None if plain_terms is None else plain_terms["floor_gaps"],
        "baseline_shortfall": shortfall_of(base_cov),
        "baseline_floor_gaps": floor_gaps_of(scenario, base_cov),
        "baseline_violations": len(
            check_roster(
                scenario,
                _roster(
                    baseline, base_cov, shortfall_of(base_cov), floor_gaps_of(scenario, base_cov)
                ),
                requirements,
            )
        ),
    }


def _roster(assignments, coverage, shortfall, floor_gaps):
    from scheduler.domain import Roster

    summary = {
        "status": "baseline",
        "shortfall": shortfall,
        "floor_gaps": floor_gaps,
        "bound": None,
        "solve_seconds": 0,
        "violations": [],
    }
    return Roster(assignments, coverage, summary)


def _plain_cp_sat(problem, time_limit: float, seed: int) -> dict:
    """CP-SAT on the whole model with the full objective, no decomposition, no hint."""
    from solver.evaluate import objective_terms
    from solver.input import SolveLimits
    from solver.roster_model import RosterModel

    model = RosterModel(problem)
    model.model.minimize(model.weighted_objective())
    run = model._run(SolveLimits(time_limit, seed, 0), None)
    if run.status_name not in ("optimal", "feasible"):
        return {"shortfall": None, "floor_gaps": None}
    return objective_terms(problem, list(model.variables.extract(run.solver)))


def _cell(value, width: int, percent: bool = False) -> str:
    if value is None:
        return f"{'-':>{width}}"
    return f"{100 * value:>{width}.2f}" if percent else f"{value:>{width}}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=DEFAULT_CASES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, help="override the per-case limit")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain CP-SAT model")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        limit = args.time_limit or TIME_LIMITS[args.one]
        print(json.dumps(run_one(args.one, args.seed, limit, not args.no_plain)))
        return
    print(
        f"{'case':6} {'agents':>6} {'required':>9} {'short':>7} {'bound':>7} {'gap%':>6} "
        f"{'floor':>5} {'viol':>4} {'wall s':>6} {'MiB':>5} | {'greedy':>7} {'gap%':>6} "
        f"| {'plain':>7} {'gap%':>6} {'floor':>5} | {'naive':>7}"
    )
    for case in args.cases:
        command = [sys.executable, __file__, "--one", case, "--seed", str(args.seed)]
        if args.time_limit:
            command += ["--time-limit", str(args.time_limit)]
        if args.no_plain:
            command.append("--no-plain")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{case:6} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        required, bound = r["required"] or 1, r["bound"]

        def gap(shortfall, bound=bound, required=required):
            if shortfall is None or bound is None:
                return None
            return (shortfall - bound) / required

        print(
            f"{case:6} {r['agents']:>6} {r['required']:>9} {r['shortfall']:>7} "
            f"{_cell(bound, 7)} {_cell(gap(r['shortfall']), 6, True)} {r['floor_gaps']:>5} "
            f"{r['violations']:>4} {r['wall_seconds']:>6} {r['peak_mib']:>5} | "
            f"{r['greedy_shortfall']:>7} {_cell(gap(r['greedy_shortfall']), 6, True)} | "
            f"{_cell(r['plain_shortfall'], 7)} {_cell(gap(r['plain_shortfall']), 6, True)} "
            f"{_cell(r['plain_floor_gaps'], 5)} | {r['baseline_shortfall']:>7}",
            flush=True,
        )


if __name__ == "__main__":
    main()
