"""Application services: what the API, the CLI and the pages call.

Each service takes a session factory (``scheduler.storage.db.session_factory``),
runs its own unit of work, records an audit entry for every change, and raises
only the errors of ``scheduler.services.errors``: ``NotFound`` (a LookupError),
``Conflict`` (``.current`` describes what is there now), ``InvalidInput``
(``.errors``: every problem as {file, line, field, value, expected, message})
and ``Forbidden``. Results are plain JSON-ready dicts, ids, or an ``Edit``.

=====================  =====================================================
import_folder/files    scenario -> planning period id (all or nothing)
import_*_report        the same -> ImportReport (changes, warnings, conflicts
                       with what the app recorded, overlapping published rosters)
start_solve, resolve   -> solve job id (queued, handed to the job runner)
get_job, cancel_job    -> the job as a dict (state, progress, log, result)
publish                checked draft -> published version dict
set_locked, add_/      edit a draft (a published version is copied to a new
remove_assignment      draft first) -> Edit(version_id, assignment_id,
                       copied_from_id): the draft changed and the row in it
record_time_off        a sick call -> time-off id
revert, revert_preview re-publish an earlier version (checked again) -> the
                       published version and the changes for whom
=====================  =====================================================
"""

from __future__ import annotations

from scheduler.services.editing import (
    Edit,
    add_assignment,
    record_time_off,
    remove_assignment,
    set_locked,
)
from scheduler.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from scheduler.services.import_report import ImportReport
from scheduler.services.importing import (
    import_files,
    import_files_report,
    import_folder,
    import_folder_report,
)
from scheduler.services.publishing import publish
from scheduler.services.reverting import revert, revert_preview
from scheduler.services.solving import cancel_job, get_job, resolve, start_solve

__all__ = [
    "Conflict",
    "Edit",
    "Forbidden",
    "ImportReport",
    "InvalidInput",
    "NotFound",
    "ServiceError",
    "add_assignment",
    "cancel_job",
    "get_job",
    "import_files",
    "import_files_report",
    "import_folder",
    "import_folder_report",
    "publish",
    "record_time_off",
    "remove_assignment",
    "resolve",
    "revert",
    "revert_preview",
    "set_locked",
    "start_solve",
]
