"""Seeded generator of realistic follow-the-sun scenarios (sites, agents, forecast).

``generate_scenario(spec, seed)`` returns the files of a scenario folder as text;
``write_scenario(folder, spec, seed)`` writes them. ``SIZES`` holds the S/M/L/XL
benchmark presets and ``DEMO_SPEC``/``DEMO_SEED`` the bundled demo.
"""

from scheduler.synthetic.generator import generate_scenario, write_scenario
from scheduler.synthetic.spec import BENCH_CASES, DEMO_SEED, DEMO_SPEC, SIZES, SyntheticSpec

__all__ = [
    "DEMO_SEED",
    "DEMO_SPEC",
    "SIZES",
    "BENCH_CASES",
    "SyntheticSpec",
    "generate_scenario",
    "write_scenario",
]
