"""The agent's swap page offers his upcoming published shifts to the colleagues at his
site (read through web/api/queries.py), and a period's time-off page shows."""

from __future__ import annotations

import re

from tests.web.conftest import Demo


def test_the_offer_form_lists_his_shifts_and_his_sites_colleagues(as_user, demo: Demo, demo_today):
    page = as_user("a0001").get("/me/swaps").get_data(as_text=True)
    values = set(re.findall(r'<option[^>]*value="([^"]*)"', page))
    site = {a.id: a.site_id for a in demo.scenario.agents}
    shifts = {f"{demo.period_id}:{s.date.isoformat()}" for s in demo.shifts_of("A0001")}
    colleagues = {code for code, at in site.items() if at == site["A0001"] and code != "A0001"}
    assert shifts and shifts <= values
    assert colleagues <= values
    assert not {code for code in site if site[code] != site["A0001"]} & values


def test_a_periods_time_off_requests_page_answers(as_user, demo: Demo):
    answer = as_user("planner").get(f"/periods/{demo.period_id}/time-off-requests")
    assert answer.status_code == 200
