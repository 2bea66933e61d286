"""Benchmark the roster optimizer on seeded synthetic scenarios.

    python bench/run.py                 # sizes S and M
    python bench/run.py L XL --seed 3   # the large ones (minutes each)

Each size runs in its own process so peak memory is its own. Printed per size:
shortfall, proven bound, gap to bound as a share of required agent-intervals,
floor gaps, checker violations, wall time and peak memory, beside the naive
baseline (one fixed shift, five on, two off) on the same instance.
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

TIME_LIMITS = {"S": 20, "M": 60, "L": 300, "XL": 600}


def run_one(size: str, seed: int, time_limit: float) -> dict:
    from bench.baseline import naive_roster
    from scheduler.allocation import coverage_rows, floor_gaps_of, shortfall_of
    from scheduler.checker import check_roster
    from scheduler.domain import Roster
    from scheduler.imports import load_scenario
    from scheduler.pipeline import SolveOptions, solve_scenario
    from scheduler.requirements import compute_requirements
    from scheduler.solver_input import build_problem
    from scheduler.synthetic import SIZES, write_scenario

    with tempfile.TemporaryDirectory() as folder:
        write_scenario(Path(folder), SIZES[size], seed)
        scenario = load_scenario(folder)
    started = time.monotonic()
    solved = solve_scenario(scenario, SolveOptions(time_limit_seconds=time_limit, seed=seed))
    wall = time.monotonic() - started
    summary = solved.roster.summary

    requirements = compute_requirements(scenario)
    translated = build_problem(scenario, requirements)
    baseline = translated.assignments(naive_roster(translated.problem))
    base_cov = coverage_rows(scenario, requirements, baseline)
    base_roster = Roster(
        baseline,
        base_cov,
        {
            "status": "baseline",
            "shortfall": shortfall_of(base_cov),
            "floor_gaps": floor_gaps_of(scenario, base_cov),
            "bound": None,
            "solve_seconds": 0,
            "violations": [],
        },
    )
    required = summary["required_total"] or 1
    bound = summary["bound"]
    return {
        "size": size,
        "agents": len(scenario.agents),
        "required": summary["required_total"],
        "status": summary["status"],
        "shortfall": summary["shortfall"],
        "bound": bound,
        "gap_share": None if bound is None else (summary["shortfall"] - bound) / required,
        "floor_gaps": summary["floor_gaps"],
        "violations": len(summary["violations"]),
        "wall_seconds": round(wall, 1),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "baseline_shortfall": base_roster.summary["shortfall"],
        "baseline_floor_gaps": base_roster.summary["floor_gaps"],
        "baseline_violations": len(check_roster(scenario, base_roster, requirements)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["S", "M"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, help="override the per-size limit")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        limit = args.time_limit or TIME_LIMITS[args.one]
        print(json.dumps(run_one(args.one, args.seed, limit)))
        return
    header = (
        f"{'size':4} {'agents':>6} {'required':>9} {'shortfall':>9} {'bound':>8} "
        f"{'gap%':>6} {'floor':>6} {'viol':>4} {'wall s':>7} {'peak MiB':>8} "
        f"{'naive short':>11} {'naive floor':>11}"
    )
    print(header)
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", size, "--seed", str(args.seed)]
        if args.time_limit:
            command += ["--time-limit", str(args.time_limit)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{size:4} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        gap = "-" if r["gap_share"] is None else f"{100 * r['gap_share']:.2f}"
        print(
            f"{size:4} {r['agents']:>6} {r['required']:>9} {r['shortfall']:>9} "
            f"{str(r['bound']):>8} {gap:>6} {r['floor_gaps']:>6} {r['violations']:>4} "
            f"{r['wall_seconds']:>7} {r['peak_mib']:>8} {r['baseline_shortfall']:>11} "
            f"{r['baseline_floor_gaps']:>11}",
            flush=True,
        )


if __name__ == "__main__":
    main()
