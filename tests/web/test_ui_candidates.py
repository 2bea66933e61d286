"""The period's "What would help" page ranks changes and says what a solve found."""

from __future__ import annotations

from tests.web.conftest import signed_in_client
from tests.web.page_tools import page, submit


def test_a_planner_ranks_changes_on_the_period_page(fresh_demo, demo, monkeypatch):
    # the page, not the ranking's depth (tests/api/test_api_candidates.py checks the
    # figures): one candidate screened instead of 15 s of screens, a 1 s confirming solve
    monkeypatch.setattr("scheduler.candidates.SCREEN_SECONDS", 0.0)  # the first screen runs
    planner = signed_in_client(fresh_demo.app, "planner")
    path = f"/periods/{demo.period_id}/what-would-help"
    assert f'href="{path}"' in planner.get(f"/periods/{demo.period_id}").get_data(as_text=True)
    answer = submit(planner, path, path, {"confirm": "1", "confirm_seconds": "1"})
    assert answer.status_code == 200
    table = page(answer).find("table", id="candidate-table")
    rows = table.find_all("tr", cls="confirmed")
    assert len(rows) == 1
    assert "−" in rows[0].text and "bound" in rows[0].text


def test_agents_may_not_rank(as_user, demo):
    assert as_user("a0029").get(f"/periods/{demo.period_id}/what-would-help").status_code == 403
