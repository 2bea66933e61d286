"""An agent's journey in a real browser: Niamh Walsh (A0029, Dublin) signs in, reads her
own published shifts in Irish local time across the spring clock change and Easter,
takes them into her calendar (download and subscription link), and cannot reach the
planner's or HR's pages, nor anyone else's shifts.

What the pages show is checked against the roster folder the demo published
(roster.csv), not against the service's own queries.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect
from sqlalchemy import select

from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory
from tests.browser.helpers import LAPTOP, PHONE, open_page, save_screenshot, sign_in

pytestmark = pytest.mark.browser

AGENT_ID = "A0029"
AGENT_NAME = "Niamh Walsh"
USER, PASSWORD = "a0029", "sunshift-agent"
CLOCK_CHANGE_DAY = date(2027, 3, 28)  # Irish summer time from 01:00 UTC
EASTER_MONDAY = date(2027, 3, 29)
NO_ACCESS = "You don't have access"
AGENT_ID_PATTERN = re.compile(r"\bA\d{4}\b")


@dataclass(frozen=True)
class RosterRow:
    """One of A0029's rows of roster.csv."""

    day: date
    shift: str
    start_utc: datetime
    end_utc: datetime
    start_local: datetime
    end_local: datetime

    @property
    def offset(self) -> str:
        """ "UTC+01:00", as the page writes the start's offset."""
        return "UTC" + self.start_local.isoformat()[-6:]

    @property
    def end_offset(self) -> str:
        return "UTC" + self.end_local.isoformat()[-6:]


def read_roster(folder: Path, agent_id: str) -> list[RosterRow]:
    with (folder / "roster.csv").open(newline="", encoding="utf-8") as handle:
        return [
            RosterRow(
                day=date.fromisoformat(row["date"]),
                shift=row["shift"],
                start_utc=datetime.fromisoformat(row["start_utc"]),
                end_utc=datetime.fromisoformat(row["end_utc"]),
                start_local=datetime.fromisoformat(row["start_local"]),
                end_local=datetime.fromisoformat(row["end_local"]),
            )
            for row in csv.DictReader(handle)
            if row["agent_id"] == agent_id
        ]


def shift_events(feed: bytes) -> set[tuple[datetime, datetime]]:
    """(DTSTART, DTEND) of the feed's shift events, as aware UTC datetimes."""
    return {
        (event.decoded("DTSTART"), event.decoded("DTEND"))
        for event in Calendar.from_ical(feed).walk("VEVENT")
        if str(event["UID"]).startswith("shift-")
    }


def holiday_events(feed: bytes) -> dict[date, str]:
    return {
        event.decoded("DTSTART"): str(event["SUMMARY"])
        for event in Calendar.from_ical(feed).walk("VEVENT")
        if str(event["UID"]).startswith("holiday-")
    }


@pytest.fixture(scope="module")
def rows(demo_server) -> list[RosterRow]:
    found = read_roster(demo_server.roster_dir, AGENT_ID)
    assert found, f"the demo roster gives {AGENT_ID} no shift"
    return found


@pytest.fixture(scope="module")
def published_version_id(demo_server) -> int:
    with session_factory(make_engine(demo_server.database_url))() as session:
        return session.scalars(
            select(m.RosterVersion.id).where(m.RosterVersion.state == "published")
        ).one()


@pytest.fixture(scope="module")
def agent_page(demo_server, chromium) -> Iterator:
    """One laptop-sized tab, signed in through the form as A0029 for the whole module."""
    page = open_page(chromium, LAPTOP)
    sign_in(page, demo_server.base_url, USER, PASSWORD)
    yield page
    page.context.close()


def expected_offsets(rows: list[RosterRow]) -> dict[date, str]:
    return {row.day: row.offset for row in rows}


def assert_shows_only_my_shifts(page, demo_server, rows: list[RosterRow]) -> None:
    """The /me page lists exactly A0029's shifts of roster.csv and no one else's."""
    assert page.locator(".shift-time").count() == len(rows)
    assert page.locator("li.shift").count() == len({row.day for row in rows})
    for row in rows:
        item = page.locator(f"li[data-date='{row.day.isoformat()}']")
        times = item.locator(".shift-time").all_inner_texts()
        expected = f"{row.start_local:%H:%M}–{row.end_local:%H:%M}"
        assert any(text.startswith(expected) for text in times), (row, times)
        offsets = " ".join(item.locator(".offset").all_inner_texts())
        assert row.offset in offsets, (row, offsets)
        if row.end_offset != row.offset:
            assert f"{row.offset} → {row.end_offset}" in offsets, (row, offsets)

    text = page.locator("main").inner_text()
    assert set(AGENT_ID_PATTERN.findall(text)) <= {AGENT_ID}
    others = {
        agent.name
        for agent in demo_server.scenario.agents
        if agent.id != AGENT_ID and agent.name != AGENT_NAME
    }
    shown = sorted(name for name in others if name in text)
    assert not shown, f"other agents on {AGENT_ID}'s page: {shown}"


def test_my_shifts_page_lists_my_roster_in_irish_local_time(
    agent_page, demo_server, rows, screenshots_dir
):
    page = agent_page
    assert page.url == demo_server.url("/me")
    assert page.get_by_role("heading", level=1).inner_text().startswith("My shifts")
    assert AGENT_NAME in page.get_by_role("heading", level=1).inner_text()
    assert "Dublin" in page.get_by_role("heading", level=1).inner_text()

    assert_shows_only_my_shifts(page, demo_server, rows)

    # Irish winter time before the clock change, summer time from it on.
    offsets = expected_offsets(rows)
    before = {offsets[day] for day in offsets if day < CLOCK_CHANGE_DAY}
    after = {offsets[day] for day in offsets if day > CLOCK_CHANGE_DAY}
    assert before == {"UTC+00:00"}, before
    assert after == {"UTC+01:00"}, after
    page_offsets = set(page.locator(".offset").all_inner_texts())
    assert any("UTC+00:00" in text for text in page_offsets)
    assert any("UTC+01:00" in text for text in page_offsets)

    # Every date of the horizon is listed once: a shift, a day off or time off.
    horizon = demo_server.scenario.horizon.dates
    listed = page.locator("ul.my-days > li").evaluate_all(
        "items => items.map(li => li.dataset.date)"
    )
    assert listed == [day.isoformat() for day in horizon]
    shift_days = {row.day for row in rows}
    for day in horizon:
        if day in shift_days:
            continue
        label = page.locator(f"li[data-date='{day.isoformat()}'] .label").inner_text()
        assert label == "Day off" or label.startswith("Time off: "), (day, label)

    easter = page.locator(f"li[data-date='{EASTER_MONDAY.isoformat()}']")
    assert "holiday" in (easter.get_attribute("class") or "").split()
    assert "Easter Monday" in easter.locator(".holiday-name").inner_text()

    save_screenshot(page, screenshots_dir, "agent-my-shifts-laptop")


def test_agent_id_in_the_url_does_not_show_another_agent(agent_page, demo_server, rows):
    page = agent_page
    response = page.goto(demo_server.url("/me?agent=A0001"))
    assert response is not None and response.status == 200
    assert_shows_only_my_shifts(page, demo_server, rows)
    assert "Toronto" not in page.locator("main").inner_text()


def test_download_ics_holds_my_shifts_and_holidays(agent_page, demo_server, rows):
    page = agent_page
    page.goto(demo_server.url("/me"))
    with page.expect_download() as info:
        page.get_by_role("link", name="Download .ics").click()
    download = info.value
    assert download.suggested_filename == f"shifts-{AGENT_ID}.ics"
    feed = Path(download.path()).read_bytes()

    assert shift_events(feed) == {(row.start_utc, row.end_utc) for row in rows}
    uids = [
        str(event["UID"])
        for event in Calendar.from_ical(feed).walk("VEVENT")
        if str(event["UID"]).startswith("shift-")
    ]
    assert len(uids) == len(rows)
    assert all(uid.startswith(f"shift-{AGENT_ID}-") for uid in uids)
    holidays = holiday_events(feed)
    assert holidays.get(EASTER_MONDAY) == "Public holiday: Easter Monday", holidays


def test_subscription_link_serves_my_calendar_until_revoked(agent_page, demo_server, rows):
    page = agent_page
    page.goto(demo_server.url("/me"))
    # "Make my subscription link", or "Make a new ..." if an earlier test made one
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("subscription link")).click()
    url = page.locator("#calendar-url").input_value()
    assert url.startswith(demo_server.url("/ical/")) and url.endswith(".ics"), url

    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    feed = response.body()
    assert shift_events(feed) == {(row.start_utc, row.end_utc) for row in rows}
    assert EASTER_MONDAY in holiday_events(feed)

    questions = []

    def answer(dialog) -> None:  # the page asks first; the agent confirms
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke the link").click()
    assert questions == ["Revoke the link? Calendars using it stop updating."]
    assert "revoked" in page.locator(".flashes").inner_text()
    assert page.locator("#calendar-url").count() == 0
    assert page.request.get(url).status == 404


@pytest.mark.parametrize("path", ["/periods", "/rosters/{version}/grid", "/exports"])
def test_planner_and_hr_pages_answer_403(agent_page, demo_server, published_version_id, path):
    page = agent_page
    response = page.goto(demo_server.url(path.format(version=published_version_id)))
    assert response is not None and response.status == 403
    assert NO_ACCESS in page.locator("main").inner_text()


def test_hours_download_answers_403(agent_page, demo_server, published_version_id):
    response = agent_page.request.get(
        demo_server.url(f"/exports/{published_version_id}/hours.xlsx")
    )
    assert response.status == 403
    assert "spreadsheetml" not in response.headers["content-type"]
    assert NO_ACCESS in html.unescape(response.text())  # the 403 page, not a file


def test_my_shifts_on_a_phone(demo_server, chromium, rows, screenshots_dir):
    page = open_page(chromium, PHONE)
    try:
        sign_in(page, demo_server.base_url, USER, PASSWORD)
        assert page.url == demo_server.url("/me")
        assert page.locator(".shift-time").count() == len(rows)
        first = page.locator(".shift-time").first
        expect(first).to_be_visible()
        sizes = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        assert sizes["scroll"] <= sizes["inner"], f"/me scrolls sideways on a phone: {sizes}"
        save_screenshot(page, screenshots_dir, "agent-my-shifts-phone")
    finally:
        page.context.close()
