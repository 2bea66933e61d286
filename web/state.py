"""What the app holds between requests: the loaded scenario and where its roster is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from scheduler.domain import Roster, Scenario
from scheduler.requirements import RequirementTable
from scheduler.roster_io import SUMMARY_FILE, read_roster_folder

EXTENSION_KEY = "sunshift"


@dataclass(frozen=True)
class AppState:
    scenario: Scenario
    requirements: RequirementTable
    roster_dir: Path | None

    def roster(self) -> tuple[Roster | None, list[str]]:
        """The roster if one was written, with any problems reading it as text."""
        if self.roster_dir is None or not (self.roster_dir / SUMMARY_FILE).is_file():
            return None, []
        roster, errors = read_roster_folder(self.roster_dir)
        return roster, [str(error) for error in errors]


def state() -> AppState:
    return current_app.extensions[EXTENSION_KEY]
