"""Two rosters side by side: a planner edits the published demo roster (one shift
taken off, one moved to other hours the same day) and the compare page, linked from
the draft's roster page, tells per agent what changed in his local time and per
language the shortfall of both rosters."""

from __future__ import annotations

from collections import defaultdict

import pytest
from flask import Flask
from sqlalchemy import select

from scheduler import services
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_roster
from tests.web.conftest import Demo, Served, signed_in_client
from tests.web.page_tools import page


def _assignment_id(served: Served, version_id: int, agent: str, index: int = 0) -> int:
    with unit_of_work(served.sessions()) as session:
        return session.scalars(
            select(m.Assignment.id)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == version_id, m.Agent.code == agent)
            .order_by(m.Assignment.start_utc)
        ).all()[index]


@pytest.fixture
def edited(fresh_demo: Served, demo: Demo):
    """The published roster with A0029's first shift taken off and one shift of another
    agent moved to other hours on its date: (served, draft id, removed, moved from, to)."""
    sessions = fresh_demo.sessions()
    removed = demo.shifts_of("A0029")[0]
    draft = services.remove_assignment(
        sessions, _assignment_id(fresh_demo, demo.published_id, "A0029"), None
    ).version_id
    agents = {a.id: a for a in demo.scenario.agents}
    for agent_id in sorted({a.agent_id for a in demo.published.assignments} - {"A0029"}):
        for index, was in enumerate(demo.shifts_of(agent_id)):
            others = [s for s in agents[agent_id].shift_ids if s != was.shift_id]
            if not others:
                continue
            row = _assignment_id(fresh_demo, draft, agent_id, index)
            services.remove_assignment(sessions, row, None)
            for other in others:
                try:
                    services.add_assignment(sessions, draft, agent_id, was.date, other, None)
                except services.InvalidInput:
                    continue
                with unit_of_work(sessions) as session:
                    now = [
                        a for a in load_roster(session, draft).assignments if a.agent_id == agent_id
                    ]
                moved_to = next(a for a in now if a.date == was.date)
                return fresh_demo, draft, removed, was, moved_to
            services.add_assignment(sessions, draft, agent_id, was.date, was.shift_id, None)
    pytest.fail("no shift of the demo could move to other hours on its date")


def test_compare_page_tells_each_agent_what_changed_in_local_time(edited, demo: Demo):
    served, draft, removed, was, moved_to = edited
    client = signed_in_client(served.app, "planner")
    roster_page = page(client.get(f"/rosters/{draft}"))
    link = roster_page.find(id="compare-link").find("a")
    assert link.text == "Compare with published roster #1"

    document = page(client.get(link.get("href")))

    assert "against #1" in document.find("h1").text
    rows = {
        row.get("data-agent"): row
        for row in document.find(id="compare-agents").find("tbody").find_all("tr")
    }
    assert set(rows) == {"A0029", was.agent_id}
    cells = [td.text for td in rows["A0029"].find_all("td")]
    assert cells[1:4] == ["0", "1", "0"]
    start = removed.start_local
    assert (
        f"{start:%a %d %b}: removed {removed.shift_id} {start:%H:%M}–"
        in rows["A0029"].find("li").text
    )
    moved = rows[was.agent_id].find("li").text
    assert moved.startswith(f"{was.date:%a %d %b}: moved {was.shift_id} {was.start_local:%H:%M}")
    assert f"→ {moved_to.shift_id} {moved_to.start_local:%H:%M}" in moved
    assert [td.text for td in rows[was.agent_id].find_all("td")][1:4] == ["0", "0", "1"]
    figures = {
        div.find("dt").text: div.find("dd").text
        for div in document.find(id="compare-figures").find_all("div")
    }
    assert figures["Shifts kept"] == str(len(demo.published.assignments) - 2)
    assert (figures["Removed"], figures["Moved"], figures["Added"]) == ("1", "1", "0")


def test_compare_page_gives_each_languages_shortfall_in_both_rosters(edited, demo: Demo):
    served, draft, *_ = edited
    client = signed_in_client(served.app, "planner")
    document = page(client.get(f"/rosters/{draft}/compare"))
    with unit_of_work(served.sessions()) as session:
        rosters = [load_roster(session, demo.published_id), load_roster(session, draft)]
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for side, roster in enumerate(rosters):
        for row in roster.coverage:
            expected[row.language][side] += max(0, row.required - row.staffed)

    table = document.find(id="compare-languages")
    shown = {
        row.find("th").text: [
            int(td.text.split()[0].replace("−", "-")) for td in row.find_all("td")
        ]
        for row in table.find("tbody").find_all("tr")
    }
    assert shown == {lang: [b, a, a - b] for lang, (b, a) in expected.items()}
    assert sum(b for b, _ in expected.values()) == rosters[0].summary["shortfall"]
    assert sum(a for _, a in expected.values()) == rosters[1].summary["shortfall"]
    assert any(a > b for b, a in expected.values()), "taking a shift off left no gap"


def test_another_roster_is_chosen_with_a_plain_get_form(app: Flask, demo: Demo, signed_in):
    client = signed_in(app, "planner")
    document = page(client.get(f"/rosters/{demo.published_id}/compare"))
    form = document.find(id="compare-form")
    options = {o.get("value"): o for o in form.find("select").find_all("option")}
    assert str(demo.draft_id) in options and str(demo.published_id) not in options
    assert "selected" in options[str(demo.draft_id)].attrs  # no other is published
    chosen = page(client.get(f"/rosters/{demo.published_id}/compare?with={demo.draft_id}"))
    assert "against #2" in chosen.find("h1").text
    assert chosen.find(id="no-changes").text == "The same shifts in both rosters."  # a lock
    assert chosen.find(id="swap-link").get("href") == (
        f"/rosters/{demo.draft_id}/compare?with={demo.published_id}"
    )


@pytest.mark.parametrize("other", ["99999", "abc"])
def test_an_unknown_roster_to_compare_with_is_404(app: Flask, demo: Demo, signed_in, other):
    answer = signed_in(app, "planner").get(f"/rosters/{demo.draft_id}/compare?with={other}")
    assert answer.status_code == 404


@pytest.mark.parametrize("user", ["hr", "a0029"])
def test_only_planners_compare(app: Flask, demo: Demo, signed_in, user):
    assert signed_in(app, user).get(f"/rosters/{demo.draft_id}/compare").status_code == 403
