"""Scenario folders and uploaded files into planning periods, all or nothing."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scheduler.domain import Scenario
from scheduler.imports import InputError, read_scenario
from scheduler.imports.errors import FILE_ORDER, ScenarioErrors
from scheduler.services import import_report as report
from scheduler.services.common import input_error_dict, user_or_none
from scheduler.services.errors import Conflict, InvalidInput, NotFound
from scheduler.services.import_report import ImportReport
from scheduler.services.upload_limits import oversized_files, too_long_texts
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import NotFound as StoreNotFound
from scheduler.storage.scenario_store import StoreError, import_scenario

SCENARIO_FILES = frozenset(FILE_ORDER)


def import_folder(
    sessions: sessionmaker[Session],
    folder: Path | str,
    user_id: int | None,
    period_name: str | None = None,
    period_id: int | None = None,
) -> int:
    """Validate a scenario folder and store it as a new period (or re-import into
    ``period_id``); returns the period id. Any error in any file: ``InvalidInput``
    listing every one, and nothing is stored."""
    return _import(sessions, Path(folder), user_id, period_name, period_id, source=None).period_id


def import_folder_report(
    sessions: sessionmaker[Session],
    folder: Path | str,
    user_id: int | None,
    period_name: str | None = None,
    period_id: int | None = None,
) -> ImportReport:
    """``import_folder`` answering with what the import changed (``ImportReport``)."""
    return _import(sessions, Path(folder), user_id, period_name, period_id, source=None)


def import_files(
    sessions: sessionmaker[Session],
    files: dict[str, bytes],
    user_id: int | None,
    period_name: str | None = None,
    period_id: int | None = None,
) -> int:
    """``import_files_report`` answering with the period id only."""
    return import_files_report(sessions, files, user_id, period_name, period_id).period_id


def import_files_report(
    sessions: sessionmaker[Session],
    files: dict[str, bytes],
    user_id: int | None,
    period_name: str | None = None,
    period_id: int | None = None,
) -> ImportReport:
    """Uploaded scenario files (file name -> content) into a period, like ``import_folder``;
    returns what the import changed, its warnings, conflicts and overlaps.

    Only the scenario format's file names are accepted, so an upload can never
    write outside its temporary folder.
    """
    refused = [
        {
            "file": name,
            "line": None,
            "field": "",
            "value": name,
            "expected": f"one of {', '.join(FILE_ORDER)}",
            "message": f"{name!r} is not a scenario file (expected one of {', '.join(FILE_ORDER)})",
        }
        for name in files
        if name not in SCENARIO_FILES
    ]
    if refused:
        raise InvalidInput(f"{len(refused)} unexpected file(s); nothing was imported", refused)
    oversized = oversized_files(files)
    if oversized:
        names = ", ".join(error.file for error in oversized)
        raise InvalidInput(
            f"{names}: over the upload limits; nothing was imported",
            [input_error_dict(error) for error in oversized],
        )
    with tempfile.TemporaryDirectory(prefix="sunshift-upload-") as folder:
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        source = "upload: " + ", ".join(sorted(files))
        return _import(sessions, Path(folder), user_id, period_name, period_id, source=source)


def _import(
    sessions: sessionmaker[Session],
    folder: Path,
    user_id: int | None,
    period_name: str | None,
    period_id: int | None,
    source: str | None,
) -> ImportReport:
    loaded = read_scenario(folder)
    too_long = too_long_texts(folder)
    if loaded.scenario is None or too_long:
        found = [*loaded.errors, *too_long]
        errors = ScenarioErrors(found, "" if source else str(folder))
        raise InvalidInput(str(errors), [input_error_dict(e) for e in errors.errors])
    scenario: Scenario = loaded.scenario
    warnings = [*loaded.warnings, *_history_not_stored(scenario)]
    if source is not None:
        scenario = replace(scenario, source=source)
    name = period_name or (None if period_id is not None else scenario.name)
    try:
        with unit_of_work(sessions) as session:
            _refuse_taken_name(session, name, period_id)
            user = user_or_none(session, user_id)
            before = None
            if period_id is not None:
                if session.get(m.PlanningPeriod, period_id) is None:
                    raise NotFound(f"no planning period with id {period_id}")
                before = report.read_before(session, period_id)
            period = import_scenario(session, scenario, period_name=name, period_id=period_id)
            result = ImportReport(
                period_id=period.id,
                reimport=period_id is not None,
                warnings=[input_error_dict(w) for w in warnings],
                changes=report.changes(before, scenario),
                conflicts=report.conflicts(session, period.id, scenario) if before else [],
                overlaps=report.overlaps(session, period),
            )
            _claim_again_if_published(session, period, result)
            repository.record_audit(
                session,
                user,
                "period.reimport" if period_id is not None else "period.import",
                "planning_period",
                period.id,
                {
                    "name": period.name,
                    "source": scenario.source,
                    "agents": len(scenario.agents),
                    "sites": len(scenario.sites),
                    "warnings": [str(w) for w in warnings],
                    "report": result.as_dict(),
                },
            )
            return result
    except StoreNotFound as missing:
        raise NotFound(str(missing)) from missing
    except IntegrityError as clash:
        with unit_of_work(sessions) as session:
            _refuse_taken_name(session, name, period_id)  # a concurrent import took the name
        raise Conflict(
            "nothing was imported: another period was published on the same dates for some "
            "of the same agents meanwhile; reload and try again"
        ) from clash
    except StoreError as problem:
        raise InvalidInput(str(problem), [_store_error_dict(str(problem))]) from problem


def _claim_again_if_published(
    session: Session, period: m.PlanningPeriod, result: ImportReport
) -> None:
    """A published period's agents and dates may have changed: its claim on them is
    renewed, and a re-import that would put it over another published roster is
    refused (the database refuses it too, should a publish race this import)."""
    published = repository.published_version(session, period.id)
    if published is None:
        return
    if result.overlaps:
        raise Conflict(
            "nothing was imported: this period's roster is published and the new dates "
            f"and agents overlap another published roster: {result.overlaps[0]['message']}",
            {"period_id": result.overlaps[0]["period_id"]},
        )
    repository.claim_published_days(session, period, published.id)


def _history_not_stored(scenario: Scenario) -> list[InputError]:
    """A stored period takes its history from the previous period's published roster,
    never from a history.csv: say so rather than drop the file's rows silently."""
    if not scenario.history:
        return []
    return [
        InputError(
            "history.csv",
            None,
            "",
            None,
            "a period's history is the last 14 days of the published roster of the period "
            "before it (import and publish that one); history.csv is for `sunshift solve`",
            f"not stored: its {len(scenario.history)} row(s) are not used by the service",
        )
    ]


def _refuse_taken_name(session: Session, name: str | None, own_id: int | None) -> None:
    if not name:
        return
    taken = repository.period_by_name(session, name)
    if taken is not None and taken.id != own_id:
        raise Conflict(
            f"a planning period named {name!r} already exists (id {taken.id})",
            {"period_id": taken.id, "name": taken.name},
        )


def _store_error_dict(message: str) -> dict:
    return {
        "file": "",
        "line": None,
        "field": "",
        "value": None,
        "expected": "a scenario the database can hold",
        "message": message,
    }
