"""A history.csv in an imported folder is not stored (a period's history is the
previous period's published roster): the import says so instead of dropping it."""

from __future__ import annotations

from scheduler.services.importing import import_folder_report


def test_history_rows_are_reported_not_dropped_silently(sessions, spec_history_dir):
    report = import_folder_report(sessions, spec_history_dir, None, "With history")
    warned = [w for w in report.warnings if w["file"] == "history.csv"]
    assert len(warned) == 1
    assert "418 row(s)" in warned[0]["message"]
