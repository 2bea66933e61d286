"""The agent's calendar feed and shifts page are kept per published version (web.agent_cache)
and never served stale: a calendar client's If-None-Match gets 304 while nothing changed,
and a new publish, a revert or a recorded absence is seen on the very next request."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from scheduler.storage import repository
from tests.api.conftest import bearer, publish
from tests.api.test_api_exports import utc
from tests.web.page_tools import sign_in
from web import agent_cache
from web.api.session import session_factory
from web.clock import TODAY_SETTING

AGENT = "A0001"
PASSWORD = "feed-test-password-1"


def shift_times(feed: bytes) -> list[tuple]:
    calendar = Calendar.from_ical(feed)
    events = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("shift-")]
    return sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in events)


def roster_times(assignments: list[dict]) -> list[tuple]:
    return sorted(
        (utc(a["start_utc"]), utc(a["end_utc"])) for a in assignments if a["agent_id"] == AGENT
    )


@pytest.fixture
def published(client: FlaskClient, tokens, on_solved_spec, monkeypatch) -> dict:
    """The spec example solved and published; today is the day before its first shift."""
    agent_cache._feeds.clear()
    agent_cache._scenarios.clear()
    roster = on_solved_spec.draft(client, bearer(tokens["planner"]))
    publish(client, bearer(tokens["planner"]), roster)
    first = min(date.fromisoformat(a["date"]) for a in roster["assignments"])
    monkeypatch.setenv(TODAY_SETTING, (first - timedelta(days=1)).isoformat())
    return roster


def feed_url(client: FlaskClient, tokens) -> str:
    answer = client.post("/api/v1/me/calendar-token", headers=bearer(tokens["agent"]))
    return answer.json["url"]


def test_a_calendar_client_polling_an_unchanged_feed_gets_304(client, tokens, published):
    url = feed_url(client, tokens)
    first = client.get(url)
    assert first.status_code == 200
    tag = first.headers["ETag"]
    assert tag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"
    assert shift_times(first.data) == roster_times(published["assignments"])

    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == tag
    other = client.get(url, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and shift_times(other.data) == shift_times(first.data)


def test_a_new_publish_and_a_revert_change_the_feed_at_once(client, tokens, published):
    planner = bearer(tokens["planner"])
    url = feed_url(client, tokens)
    before = client.get(url)
    mine = [a for a in published["assignments"] if a["agent_id"] == AGENT]
    removed = client.delete(f"/api/v1/assignments/{mine[0]['id']}", headers=planner)
    assert removed.status_code == 200, removed.json
    draft_id = removed.json["version"]["id"]
    unpublished = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    if unpublished.status_code == 200:  # copying it moved the published version's counter
        assert shift_times(unpublished.data) == shift_times(before.data), "a draft shows"
    else:
        assert unpublished.status_code == 304

    draft = client.get(f"/api/v1/rosters/{draft_id}?all=true", headers=planner).json
    publish(client, planner, draft)
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})

    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert shift_times(after.data) == roster_times(draft["assignments"])
    assert len(shift_times(after.data)) == len(mine) - 1

    reverted = client.post(
        f"/api/v1/rosters/{published['version']['id']}/revert",
        json={"expected_published_id": draft_id},
        headers=planner,
    )
    assert reverted.status_code == 200, reverted.json
    back = client.get(url, headers={"If-None-Match": after.headers["ETag"]})
    assert back.status_code == 200
    assert shift_times(back.data) == roster_times(published["assignments"])


def test_an_absence_shows_on_the_agents_page_at_once(
    app: Flask, client, tokens, published, spec_example_dir
):
    with app.app_context(), session_factory().begin() as session:
        repository.add_user(session, "agent pages", "agent", password=PASSWORD, agent_code=AGENT)
    browser = app.test_client()
    assert sign_in(browser, "agent pages", PASSWORD).status_code == 302
    page = browser.get("/me")
    assert page.status_code == 200 and "Time off: dentist" not in page.get_data(as_text=True)
    shift_days = {a["date"] for a in published["assignments"] if a["agent_id"] == AGENT}
    start = date.fromisoformat(min(a["date"] for a in published["assignments"]))
    free = next(
        start + timedelta(days=n)
        for n in range(14)
        if (start + timedelta(days=n)).isoformat() not in shift_days
    )

    recorded = client.post(
        f"/api/v1/periods/{published['version']['period_id']}/time-off",
        json={
            "agent_id": AGENT,
            "start_date": free.isoformat(),
            "end_date": free.isoformat(),
            "reason": "dentist",
        },
        headers=bearer(tokens["planner"]),
    )

    assert recorded.status_code == 201, recorded.json
    assert "Time off: dentist" in browser.get("/me").get_data(as_text=True)


def test_kept_values_are_bounded_and_the_least_recently_used_goes_first():
    kept: agent_cache.Kept[int] = agent_cache.Kept(3)
    for number in range(3):
        kept.put(number, number)
    assert kept.get(0) == 0  # 0 is now the most recently used
    kept.put(3, 3)
    assert len(kept) == 3 and kept.get(1) is None and kept.get(0) == 0 and kept.get(3) == 3
    assert agent_cache._feeds.size == agent_cache.FEEDS_KEPT
    assert agent_cache._scenarios.size == agent_cache.SCENARIOS_KEPT
