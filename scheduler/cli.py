"""The ``sunshift`` command line: thin wrappers that parse arguments, call one
function of the pipeline and turn its outcome into output and an exit code.

Exit codes: 0 success, 1 a roster breaks a rule, 2 bad input (every error listed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scheduler.imports import ScenarioErrors, read_scenario

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2

scenario_argument = click.argument(
    "scenario", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


def read_scenario_or_exit(folder: Path):
    """Load a scenario, or print every error in it and exit 2; warnings go to stderr."""
    result = read_scenario(folder)
    if result.scenario is None:
        errors = ScenarioErrors(list(result.errors), str(folder), list(result.warnings))
        click.echo(errors.report(), err=True)
        sys.exit(EXIT_BAD_INPUT)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    return result.scenario


@click.group(help="Sunshift: follow-the-sun shift scheduling for multilingual support.")
def main() -> None:
    pass


@main.command(help="Check a scenario folder and list every error in it.")
@scenario_argument
def validate(scenario: Path) -> None:
    from scheduler.imports.summary import describe

    loaded = read_scenario_or_exit(scenario)
    click.echo(describe(loaded))


@main.command(help="Check a roster folder against every hard rule of its scenario.")
@scenario_argument
@click.argument("roster", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(scenario: Path, roster: Path) -> None:
    from scheduler.checker import review_roster_folder

    loaded = read_scenario_or_exit(scenario)
    report, errors = review_roster_folder(loaded, roster)
    if errors:
        for error in errors:
            click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    for violation in report.violations:
        click.echo(str(violation))
    if report.violations:
        click.echo(f"{len(report.violations)} violation(s)", err=True)
        sys.exit(EXIT_VIOLATIONS)
    for note in report.notes:
        click.echo(note)
    click.echo("roster passes every hard rule and its coverage claims hold")


@main.command(help="Turn a scenario's forecast into agents needed per interval and language.")
@scenario_argument
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def requirements(scenario: Path, out: Path) -> None:
    from scheduler.requirements.export import write_requirements

    loaded = read_scenario_or_exit(scenario)
    written = write_requirements(loaded, out)
    for path in written:
        click.echo(f"wrote {path}")


@main.command(help="Solve a scenario and write roster.csv, coverage.csv, summary.json.")
@scenario_argument
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="Seconds.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workers", type=int, default=0, help="Solver threads (0: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def solve(
    scenario: Path, out: Path, time_limit: float, seed: int, workers: int, quiet: bool
) -> None:
    from scheduler.pipeline import SolveOptions, solve_to_folder

    loaded = read_scenario_or_exit(scenario)
    options = SolveOptions(time_limit_seconds=time_limit, seed=seed, workers=workers)
    summary = solve_to_folder(loaded, out, options, show_progress=not quiet)
    click.echo(
        f"{summary['status']}: shortfall {summary['shortfall']} agent-intervals "
        f"(proven bound {summary['bound']}), floor gaps {summary['floor_gaps']}, "
        f"{summary['solve_seconds']:.1f} s -> {out}"
    )


@main.command(help="Import and solve the bundled demo scenario, then serve it.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--time-limit", type=float, default=30.0, show_default=True)
def demo(host: str, port: int, time_limit: float) -> None:
    from scheduler.demo import run_demo

    run_demo(host=host, port=port, time_limit_seconds=time_limit)


@main.group(help="The database: DATABASE_URL, else instance/sunshift.db.")
def db() -> None:
    pass


@db.command(help="Create or migrate the database schema to the latest revision.")
def upgrade() -> None:
    from sqlalchemy import make_url

    from scheduler.storage.db import database_url
    from scheduler.storage.migrate import upgrade_database

    url = database_url()
    upgrade_database(url)
    click.echo(f"database {make_url(url).render_as_string(hide_password=True)} is up to date")


if __name__ == "__main__":
    main()
