"""A roster version's files for a planner, from its page: roster.csv, coverage.csv and
gaps.csv in the contract's formats (the same writers as ``sunshift solve`` uses), named
``<period>-roster-<n>-<file>.csv`` like the HR downloads.

Names, ids and reasons come from uploaded files, so every text cell a spreadsheet
could run as a formula is written behind an apostrophe, as in the HR exports
(``scheduler.exports.protect_csv``); files start with a UTF-8 byte order mark for
Excel, which the scenario and roster readers skip. Drafts included: planners only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from werkzeug.wrappers import Response

from scheduler.exports import protect_csv
from scheduler.gaps import GAP_COLUMNS
from scheduler.roster_io import write_coverage_csv, write_roster_csv
from scheduler.storage import models as m
from scheduler.storage.scenario_store import load_gaps, load_roster
from web.api.queries import get_or_404, period_of
from web.api.session import request_session
from web.downloads import CSV_TYPE, EXCEL_BOM, download, file_stem
from web.ui.planner.blueprint import planner
from web.ui.security import PLANNER_ROLES, roles_required

ROSTER_FILES = ("roster", "coverage", "gaps")
"""What the roster page offers, each as ``<what>.csv``."""


def _roster_csv(version_id: int) -> str:
    out = io.StringIO()
    write_roster_csv(out, load_roster(request_session(), version_id, coverage=False).assignments)
    return out.getvalue()


def _coverage_csv(version_id: int) -> str:
    out = io.StringIO()
    write_coverage_csv(out, load_roster(request_session(), version_id).coverage)
    return out.getvalue()


def _gaps_csv(version_id: int) -> str:
    """gaps.csv as ``scheduler.gaps.write_gaps_csv`` writes it (its writer's defaults,
    stored order), from the gaps stored with the version."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=GAP_COLUMNS)
    writer.writeheader()
    writer.writerows(gap.as_row() for gap in load_gaps(request_session(), version_id))
    return out.getvalue()


WRITERS: dict[str, tuple[Callable[[int], str], str]] = {
    "roster": (_roster_csv, "\n"),
    "coverage": (_coverage_csv, "\n"),
    "gaps": (_gaps_csv, "\r\n"),
}
"""Each file's text and its line ending (as the contract's writers end lines)."""


@planner.get("/rosters/<int:version_id>/<any(roster, coverage, gaps):what>.csv")
@roles_required(*PLANNER_ROLES)
def roster_file(version_id: int, what: str) -> Response:
    session = request_session()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    write, line_end = WRITERS[what]
    text = protect_csv(write(version_id), line_end)
    name = file_stem(period_of(session, version).name, version.number, what)
    return download(EXCEL_BOM + text, CSV_TYPE, f"{name}.csv")
