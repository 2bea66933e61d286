"""The period's "What would help" page ranks changes and says what a solve found."""

from __future__ import annotations

import pytest

from tests.web.conftest import signed_in_client
from tests.web.page_tools import page, submit


@pytest.mark.slow  # the ranking's screens take up to 15 s (SCREEN_SECONDS) by design
def test_a_planner_ranks_changes_on_the_period_page(fresh_demo, demo):
    planner = signed_in_client(fresh_demo.app, "planner")
    path = f"/periods/{demo.period_id}/what-would-help"
    assert f'href="{path}"' in planner.get(f"/periods/{demo.period_id}").get_data(as_text=True)
    answer = submit(planner, path, path, {"confirm": "1", "confirm_seconds": "2"})
    assert answer.status_code == 200
    table = page(answer).find("table", id="candidate-table")
    rows = table.find_all("tr", cls="confirmed")
    assert len(rows) == 1
    assert "−" in rows[0].text and "bound" in rows[0].text


def test_agents_may_not_rank(as_user, demo):
    assert as_user("a0029").get(f"/periods/{demo.period_id}/what-would-help").status_code == 403
