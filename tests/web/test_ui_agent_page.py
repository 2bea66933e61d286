"""An agent's own page (/me): his published shifts in local time with the UTC offset,
his days off, time off and public holidays, and his calendar subscription."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import update

from scheduler.exports import shift_uid
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from tests.web.conftest import Demo, set_today, signed_in_client
from tests.web.page_tools import Node, find_form, location, page, submit

DEMO_AGENTS = {"a0001": "A0001", "a0029": "A0029", "a0033": "A0033", "a0095": "A0095"}
CLOCKS_CHANGE_EU = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


def my_page(client) -> Node:
    answer = client.get("/me")
    assert answer.status_code == 200
    return page(answer)


def listed_shifts(document: Node) -> list[tuple[str, str, str]]:
    """(date, local start, offset) of each shift the page lists."""
    found = []
    for day in document.find_all("li", cls="shift"):
        times = day.find_all(cls="shift-time")
        offsets = day.find_all(cls="offset")
        assert len(times) == len(offsets) >= 1
        for shown, offset in zip(times, offsets, strict=True):
            found.append((day.get("data-date"), shown.text[:5], offset.text.split(" ")[0]))
    return found


def expected_shifts(demo: Demo, code: str, since: date | None = None) -> list[tuple[str, str, str]]:
    def offset(instant: datetime) -> str:
        minutes = int(instant.utcoffset().total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    return [
        (a.date.isoformat(), f"{a.start_local:%H:%M}", offset(a.start_local))
        for a in demo.shifts_of(code)
        if since is None or a.date >= since
    ]


@pytest.mark.parametrize("user", sorted(DEMO_AGENTS))
def test_me_lists_exactly_my_published_shifts(as_user, demo: Demo, demo_today, user: str):
    code = DEMO_AGENTS[user]
    document = my_page(as_user(user))
    expected = expected_shifts(demo, code)
    assert expected, f"the demo roster gives {code} no shift"
    assert listed_shifts(document) == expected
    assert f"{len(expected)} shift(s) ahead" in document.find("p", cls="lede").text


@pytest.mark.parametrize("user", sorted(DEMO_AGENTS))
def test_me_shows_no_other_agent(as_user, demo: Demo, demo_today, user: str):
    code = DEMO_AGENTS[user]
    own = demo.scenario.agent(code)
    text = my_page(as_user(user)).find("main").text
    assert own.name in text
    others = [a for a in demo.scenario.agents if a.id != code]
    assert not [a.id for a in others if a.id in text]
    assert not [a.name for a in others if a.name != own.name and a.name in text]
    assert set(re.findall(r"\bA\d{4}\b", text)) <= {code}


def test_dublin_offsets_change_with_the_clocks_on_28_march(as_user, demo: Demo, demo_today):
    shifts = listed_shifts(my_page(as_user("a0029")))
    offsets = {shown_date: offset for shown_date, _, offset in shifts}
    assert set(offsets.values()) == {"UTC+00:00", "UTC+01:00"}, "no shift on one side of 28 Mar"
    for shift in demo.shifts_of("A0029"):
        wanted = "UTC+00:00" if shift.start_utc < CLOCKS_CHANGE_EU else "UTC+01:00"
        assert offsets[shift.date.isoformat()] == wanted


@pytest.mark.parametrize(
    ("user", "day", "change"),
    [
        ("a0029", "2027-03-28", "at 01:00 local time: UTC+00:00 → UTC+01:00"),  # Dublin
        ("a0095", "2027-04-04", "at 03:00 local time: UTC+11:00 → UTC+10:00"),  # Sydney
    ],
)
def test_the_day_the_clocks_change_says_so(as_user, demo_today, user: str, day: str, change: str):
    document = my_page(as_user(user))
    notes = {
        item.get("data-date"): item.find_all(cls="clock-change")[0].text
        for item in document.find_all("li")
        if item.find_all(cls="clock-change")
    }
    assert list(notes) == [day]
    assert notes[day].endswith(change)


def test_my_site_public_holidays_are_named(as_user, demo_today):
    document = my_page(as_user("a0029"))
    holidays = {
        day.get("data-date"): day.find(cls="holiday-name").text
        for day in document.find_all("li", cls="holiday")
    }
    # Ireland; 28 March is Easter Sunday
    assert holidays == {"2027-03-29": "★ Public holiday: Easter Monday"}


def test_my_time_off_is_shown_on_its_days(as_user, demo: Demo, demo_today):
    document = my_page(as_user("a0095"))  # time_off.csv: A0095 2027-03-28..31 vacation
    days = {day.get("data-date"): day for day in document.find_all("li")}
    for wanted in ("2027-03-28", "2027-03-29", "2027-03-30", "2027-03-31"):
        shown = days[wanted]
        assert "time-off" in shown.classes
        assert "Time off: vacation" in shown.text
    marked = {d for d, shown in days.items() if d and "time-off" in shown.classes}
    assert marked == {"2027-03-28", "2027-03-29", "2027-03-30", "2027-03-31"}
    work_days = {a.date.isoformat() for a in demo.shifts_of("A0095")}
    assert not work_days & marked


def test_every_horizon_day_is_listed_once_by_week(as_user, demo: Demo, demo_today):
    document = my_page(as_user("a0001"))
    listed = [day.get("data-date") for day in document.find_all("li") if day.get("data-date")]
    assert listed == [d.isoformat() for d in demo.scenario.horizon.dates]
    weeks = [h.text for h in document.find_all("h2") if h.text.startswith("Week of")]
    assert weeks == ["Week of Mon 22 Mar 2027", "Week of Mon 29 Mar 2027"]


def test_past_days_are_no_longer_listed(as_user, demo: Demo, monkeypatch: pytest.MonkeyPatch):
    today = set_today(monkeypatch, date(2027, 3, 30))
    document = my_page(as_user("a0029"))
    listed = [day.get("data-date") for day in document.find_all("li") if day.get("data-date")]
    assert listed[0] == today.isoformat()
    assert listed_shifts(document) == expected_shifts(demo, "A0029", since=today)


def test_an_agent_without_a_published_roster_sees_a_notice(fresh_demo, demo_today):
    client = signed_in_client(fresh_demo.app, "a0001")
    with unit_of_work(fresh_demo.sessions()) as session:  # as if the planner never published
        session.execute(update(m.RosterVersion).values(state="draft"))
    document = my_page(client)
    assert not document.find_all("li", cls="shift")
    assert "No published roster includes you yet" in document.find("main").text


# --- calendar subscription ------------------------------------------------------------------


def issue_link(client) -> str:
    answer = submit(client, "/me", "/me/calendar")
    assert location(answer) == "/me"  # post, redirect, get: a reload re-posts nothing
    shown = page(client.get("/me")).find("input", id="calendar-url").get("value") or ""
    assert re.fullmatch(r"http://localhost/ical/[^/]+\.ics", shown), shown
    return shown.removeprefix("http://localhost")


def shift_events(ics: bytes) -> set[tuple[str, datetime, datetime]]:
    calendar = Calendar.from_ical(ics)
    return {
        (str(event["UID"]), event.decoded("DTSTART"), event.decoded("DTEND"))
        for event in calendar.walk("VEVENT")
        if str(event["UID"]).startswith("shift-")
    }


def holiday_events(ics: bytes) -> dict[date, str]:
    return {
        event.decoded("DTSTART"): str(event["SUMMARY"])
        for event in Calendar.from_ical(ics).walk("VEVENT")
        if str(event["UID"]).startswith("holiday-")
    }


def expected_events(demo: Demo, code: str) -> set[tuple[str, datetime, datetime]]:
    return {
        (shift_uid(code, a.date, a.shift_id), a.start_utc, a.end_utc) for a in demo.shifts_of(code)
    }


def test_the_subscription_link_is_shown_once_and_serves_my_shifts(
    app: Flask, demo: Demo, demo_today
):
    client = signed_in_client(app, "a0029")
    feed_path = issue_link(client)
    again = my_page(client)
    assert not again.find_all("input", id="calendar-url"), "the secret link is shown again"
    assert "You have a subscription link" in again.find(id="calendar").text

    answer = app.test_client().get(feed_path)  # a calendar app: no session, no token header
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    events = shift_events(answer.data)
    assert len(events) == len(demo.shifts_of("A0029"))
    assert events == expected_events(demo, "A0029")
    assert holiday_events(answer.data) == {date(2027, 3, 29): "Public holiday: Easter Monday"}


def test_a_new_link_stops_the_old_one(app: Flask, demo_today):
    client = signed_in_client(app, "a0001")
    first = issue_link(client)
    second = issue_link(client)
    assert first != second
    reader = app.test_client()
    assert reader.get(first).status_code == 404
    assert reader.get(second).status_code == 200


def test_a_revoked_link_stops_working(app: Flask, demo_today):
    client = signed_in_client(app, "a0095")
    link = issue_link(client)
    answer = submit(client, "/me", "/me/calendar/revoke")
    assert location(answer) == "/me"
    assert app.test_client().get(link).status_code == 404
    document = page(client.get("/me"))
    assert not document.find_all("input", id="calendar-url")
    with pytest.raises(AssertionError):
        find_form(document, "/me/calendar/revoke")  # nothing left to revoke


def test_the_ics_download_holds_the_same_shifts(as_user, demo: Demo, demo_today):
    answer = as_user("a0095").get("/me/shifts.ics")
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert shift_events(answer.data) == expected_events(demo, "A0095")
    assert date(2027, 3, 29) in holiday_events(answer.data)  # Easter Monday in New South Wales


def test_the_feed_and_the_download_agree(app: Flask, demo_today):
    client = signed_in_client(app, "a0029")
    feed = app.test_client().get(issue_link(client)).data
    download = client.get("/me/shifts.ics").data
    assert shift_events(feed) == shift_events(download)
    assert holiday_events(feed) == holiday_events(download)


def test_another_teams_agent_with_my_id_never_shows(
    fresh_demo, demo: Demo, spec_example_dir, spec_example_roster_dir, demo_today
):
    """Another team's file also has an A0029 (someone else, no e-mail of hers): once its
    June roster is published, Niamh (a0029, with her e-mail) still sees only her own
    shifts, on the page, in the .ics and in the API."""
    from scheduler.roster_io import read_roster_folder
    from scheduler.services import import_folder, publish
    from scheduler.storage.repository import issue_api_token
    from scheduler.storage.scenario_store import save_roster

    sessions = fresh_demo.sessions()
    other_team = import_folder(sessions, spec_example_dir, None, period_name="Other team, June")
    roster, errors = read_roster_folder(spec_example_roster_dir)
    assert not errors and any(a.agent_id == "A0029" for a in roster.assignments)
    with unit_of_work(sessions) as session:
        draft = save_roster(session, other_team, roster)
        draft_id, counter = draft.id, draft.version_id
    publish(sessions, draft_id, None, counter)

    client = signed_in_client(fresh_demo.app, "a0029")
    shown = {day for day, _, _ in listed_shifts(my_page(client))}
    assert shown == {a.date.isoformat() for a in demo.shifts_of("A0029")}
    assert "Other team" not in client.get("/me").get_data(as_text=True)
    feed = Calendar.from_ical(client.get("/me/shifts.ics").data)
    starts = {event.decoded("DTSTART") for event in feed.walk("VEVENT")}
    assert not [day for day in starts if isinstance(day, datetime) and day.month == 6]
    with unit_of_work(sessions) as session:
        user = session.query(m.User).filter_by(name="a0029").one()
        token = issue_api_token(user)
    api = fresh_demo.app.test_client().get(
        "/api/v1/me/shifts", headers={"Authorization": f"Bearer {token}"}
    )
    assert {s["period_name"] for s in api.get_json()["shifts"]} == {"Sunshift demo"}
