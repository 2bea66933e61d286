"""A scenario folder -> a checked ``Scenario``, or every error in it at once.

Each file is read even when another one is broken, and cross-file checks run
against whatever could be read (ids as written), so one run lists every
mistake without follow-on noise. Nothing partial is ever returned.

When both forecast.csv and required.csv exist, both are loaded: required.csv
drives staffing, the forecast is kept to project service levels of a roster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.domain import (
    Agent,
    ForecastRow,
    HistoryShift,
    Preference,
    RequiredRow,
    Scenario,
    TimeOff,
)
from scheduler.imports import agents as agents_file
from scheduler.imports import demand as demand_files
from scheduler.imports import history as history_file
from scheduler.imports import preferences as preferences_file
from scheduler.imports import time_off as time_off_file
from scheduler.imports.errors import InputError, Issues, ScenarioErrors
from scheduler.imports.settings import Settings, read_settings
from scheduler.imports.tables import Table, read_table

SETTINGS_FILE = "scenario.toml"
AGENTS_FILE = "agents.csv"
FORECAST_FILE = "forecast.csv"
REQUIRED_FILE = "required.csv"
TIME_OFF_FILE = "time_off.csv"
HISTORY_FILE = "history.csv"
PREFERENCES_FILE = "preferences.csv"


@dataclass(frozen=True)
class ScenarioImport:
    """The outcome of reading a folder: a scenario only when there are no errors."""

    scenario: Scenario | None
    errors: tuple[InputError, ...]
    warnings: tuple[InputError, ...]


def load_scenario(folder: Path | str) -> Scenario:
    """The scenario in ``folder``; raises ``ScenarioErrors`` listing every error.

    Warnings (unknown keys or columns, which the format allows) never fail.
    """
    result = read_scenario(folder)
    if result.scenario is None:
        raise ScenarioErrors(list(result.errors), str(folder), list(result.warnings))
    return result.scenario


def read_scenario(folder: Path | str) -> ScenarioImport:
    """Read and check every file of a scenario folder, collecting errors and warnings."""
    folder = Path(folder)
    issues = Issues()
    if not folder.is_dir():
        issues.error(str(folder), None, "", None, "no such folder", "a scenario folder")
        return ScenarioImport(None, tuple(issues.errors), ())
    settings = _read_settings_file(folder, issues)
    agents, agent_lines = _read_agents_file(folder, settings, issues)
    forecast, required = _read_demand_files(folder, settings, issues)
    absences = _read_time_off_file(folder, agent_lines, issues)
    history = _read_history_file(folder, settings, agents, agent_lines, issues)
    preferences = _read_preferences_file(folder, settings, agents, agent_lines, issues)
    _check_services_needed(settings, forecast, issues)
    if not any(error.file == AGENTS_FILE for error in issues.errors):
        _warn_languages_without_speakers(settings, agents, forecast, required, issues)
    scenario = None
    if not issues.errors:
        scenario = _scenario(folder, settings, agents, forecast, required, absences, history)
        scenario = replace(scenario, preferences=tuple(preferences))
    return ScenarioImport(scenario, tuple(issues.errors), tuple(issues.warnings))


def find_file(folder: Path, name: str) -> Path | None:
    """``name`` in ``folder``; a different case (``Agents.CSV``) is accepted too."""
    exact = folder / name
    if exact.is_file():
        return exact
    matches = [path for path in folder.iterdir() if path.name.lower() == name and path.is_file()]
    return matches[0] if len(matches) == 1 else None


def _missing(issues: Issues, name: str, expected: str) -> None:
    issues.error(name, None, "", None, "missing file", expected)


def _read_settings_file(folder: Path, issues: Issues) -> Settings | None:
    path = find_file(folder, SETTINGS_FILE)
    if path is None:
        _missing(issues, SETTINGS_FILE, "scenario.toml with [horizon] and [[sites]]")
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = path.read_bytes()[: bad.start].count(b"\n") + 1
        issues.error(SETTINGS_FILE, line, "", None, "text is not UTF-8", "UTF-8 text")
        return None
    return read_settings(text, folder.resolve().name, issues)


def _read_agents_file(
    folder: Path, settings: Settings | None, issues: Issues
) -> tuple[list[Agent], dict[str, int] | None]:
    table = _table(folder, AGENTS_FILE, agents_file, issues)
    if table is None:
        return [], None
    declared = settings.declared if settings else None
    return agents_file.read_agents(table, declared, issues)


def _read_demand_files(
    folder: Path, settings: Settings | None, issues: Issues
) -> tuple[list[ForecastRow] | None, list[RequiredRow] | None]:
    forecast_path = find_file(folder, FORECAST_FILE)
    required_path = find_file(folder, REQUIRED_FILE)
    if forecast_path is None and required_path is None:
        _missing(issues, FORECAST_FILE, "forecast.csv or required.csv (at least one of them)")
        return None, None
    horizon = settings.horizon if settings else None
    forecast = required = None
    if forecast_path is not None:
        table = read_table(forecast_path, issues, demand_files.FORECAST_COLUMNS)
        forecast = demand_files.read_forecast(table, horizon, issues) if table else None
    if required_path is not None:
        table = read_table(required_path, issues, demand_files.REQUIRED_COLUMNS)
        required = demand_files.read_required(table, horizon, issues) if table else None
    return forecast, required


def _read_time_off_file(
    folder: Path, agent_lines: dict[str, int] | None, issues: Issues
) -> list[TimeOff]:
    path = find_file(folder, TIME_OFF_FILE)
    if path is None:
        return []
    table = read_table(path, issues, time_off_file.REQUIRED_COLUMNS, time_off_file.OPTIONAL_COLUMNS)
    if table is None:
        return []
    known = set(agent_lines) if agent_lines is not None else None
    return time_off_file.read_time_off(table, known, issues)


def _read_history_file(
    folder: Path,
    settings: Settings | None,
    agents: list[Agent],
    agent_lines: dict[str, int] | None,
    issues: Issues,
) -> list[HistoryShift]:
    path = find_file(folder, HISTORY_FILE)
    if path is None:
        return []
    table = read_table(path, issues, history_file.REQUIRED_COLUMNS, history_file.OPTIONAL_COLUMNS)
    if table is None:
        return []
    known = set(agent_lines) if agent_lines is not None else None
    sites = {site.id: site for site in settings.sites} if settings else {}
    horizon = settings.horizon if settings else None
    by_id = {agent.id: agent for agent in agents}
    return history_file.read_history(table, by_id, known, sites, horizon, issues)


def _read_preferences_file(
    folder: Path,
    settings: Settings | None,
    agents: list[Agent],
    agent_lines: dict[str, int] | None,
    issues: Issues,
) -> list[Preference]:
    path = find_file(folder, PREFERENCES_FILE)
    if path is None:
        return []
    table = read_table(path, issues, preferences_file.REQUIRED_COLUMNS)
    if table is None:
        return []
    known = set(agent_lines) if agent_lines is not None else None
    horizon = settings.horizon if settings else None
    by_id = {agent.id: agent for agent in agents}
    return preferences_file.read_preferences(table, by_id, known, horizon, issues)


def _table(folder: Path, name: str, module, issues: Issues) -> Table | None:
    path = find_file(folder, name)
    if path is None:
        _missing(issues, name, f"{name} with the columns {', '.join(module.REQUIRED_COLUMNS)}")
        return None
    return read_table(path, issues, module.REQUIRED_COLUMNS, module.OPTIONAL_COLUMNS)


def _check_services_needed(
    settings: Settings | None, forecast: list[ForecastRow] | None, issues: Issues
) -> None:
    """A forecast with phone or chat volume needs that channel's service target."""
    if settings is None or settings.lines is None or not forecast:
        return
    busy = {row.channel for row in forecast if row.volume > 0}
    for channel in ("phone", "chat"):
        if channel in busy and channel not in settings.services_given:
            issues.error(
                SETTINGS_FILE,
                settings.lines.line_of(("service",)),
                f"service.{channel}",
                None,
                "missing table",
                f"a [service.{channel}] table with service_level and answer_seconds, "
                f"since forecast.csv has {channel} volume",
            )


def _warn_languages_without_speakers(
    settings: Settings | None,
    agents: list[Agent],
    forecast: list[ForecastRow] | None,
    required: list[RequiredRow] | None,
    issues: Issues,
) -> None:
    """Demand nobody can serve is legal input, but almost always a data mistake.

    Only run on a clean agents.csv: a rejected row would make languages look unspoken.
    """
    if not agents:
        return
    spoken = {code for agent in agents for code in agent.languages}
    if settings is not None and settings.coverage is not None:
        for code in settings.coverage.always_on:
            if code not in spoken:
                issues.warn(
                    SETTINGS_FILE,
                    settings.always_on_lines.get(code),
                    "coverage.always_on",
                    code,
                    "is always on but no agent speaks it",
                    "a language some agent in agents.csv speaks",
                )
    demand = Counter(row.language for row in forecast or () if row.volume > 0)
    demand.update(row.language for row in required or () if row.required > 0)
    for code, rows in sorted(demand.items()):
        if code not in spoken:
            issues.warn(
                REQUIRED_FILE if required else FORECAST_FILE,
                None,
                "language",
                code,
                f"has demand in {rows} row{'' if rows == 1 else 's'} but no agent speaks it",
                "a language some agent in agents.csv speaks",
            )


def _scenario(
    folder: Path,
    settings: Settings | None,
    agents: list[Agent],
    forecast: list[ForecastRow] | None,
    required: list[RequiredRow] | None,
    absences: list[TimeOff],
    history: list[HistoryShift],
) -> Scenario:
    """Assemble the scenario; only called when no error was found, so nothing is None."""
    assert settings is not None
    parts = (settings.horizon, settings.phone, settings.chat, settings.email, settings.staffing)
    assert None not in (*parts, settings.coverage, settings.rules, settings.name)
    assert settings.messaging is not None and settings.markets is not None
    return Scenario(
        name=settings.name,
        horizon=settings.horizon,
        phone=settings.phone,
        chat=settings.chat,
        email=settings.email,
        messaging=settings.messaging,
        markets=settings.markets,
        staffing=settings.staffing,
        coverage=settings.coverage,
        rules=settings.rules,
        sites=tuple(settings.sites),
        agents=tuple(agents),
        time_off=tuple(absences),
        history=tuple(history),
        forecast=tuple(forecast) if forecast is not None else None,
        required=tuple(required) if required is not None else None,
        source=str(folder),
    )
