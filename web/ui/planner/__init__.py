"""Planner pages, one module a page family, all on the ``planner`` blueprint:

- ``periods``: the periods list, scenario upload and re-import, a period's page and
  starting solves from it;
- ``jobs``: a solve job with live progress, and cancelling it;
- ``rosters``: a roster version (summary, heatmap, gaps) and publishing it;
- ``edits``: the roster grid, one agent's shifts and the edits to them;
- ``roster_files``: a roster's roster.csv, coverage.csv and gaps.csv downloads;
- ``compare``: two rosters of a period side by side, per agent and per language;
- ``publish_preview``: what publishing a draft changes, per agent and per language;
- ``time_off``: a period's time-off requests with their impact, and deciding them.

Each view reads through ``web.api.queries`` (shared with the JSON API) and changes
only through ``scheduler.services``; service errors become flashed messages on the
page the planner came from (a bad upload re-renders its form with every error listed).
"""

from web.ui.planner import (  # noqa: F401 - they add the routes
    compare,
    edits,
    jobs,
    periods,
    publish_preview,
    roster_files,
    rosters,
    time_off,
)
from web.ui.planner.blueprint import planner

__all__ = ["planner"]
