"""Write a synthetic scenario folder: ``python bench/generate.py M --seed 1 --out /tmp/m``.

Sizes are the presets of ``scheduler.synthetic.SIZES`` plus ``demo`` (the spec
the bundled config/demo scenario was made from). Prints the time it took.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from scheduler.synthetic import DEMO_SPEC, SIZES, write_scenario

PRESETS = {**SIZES, "demo": DEMO_SPEC}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic scenario folder.")
    parser.add_argument("size", choices=sorted(PRESETS), help="size preset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = write_scenario(args.out, PRESETS[args.size], args.seed)
    seconds = time.perf_counter() - started
    size_kib = sum(path.stat().st_size for path in written) / 1024
    print(
        f"{args.size} seed {args.seed}: {len(written)} files, {size_kib:.0f} KiB "
        f"in {args.out} ({seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
