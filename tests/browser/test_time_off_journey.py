"""Time off in a real browser: Liam Smith (A0001, Toronto) asks for two days off on
his phone; the planner sees on his laptop what it costs in coverage and approves; Liam
sees it approved, and the e-mail telling him reaches a real SMTP server (aiosmtpd).

The impact the page shows is checked against an independent computation: the
coverage of the published roster (roster.csv of the demo's roster folder) recomputed
with and without his shifts by the project's allocation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from scheduler.allocation import coverage_rows
from scheduler.mail.sender import send_due
from scheduler.requirements import compute_requirements
from scheduler.roster_io import read_roster_folder
from scheduler.storage.db import make_engine, session_factory
from tests.browser.conftest import DemoServer, _serve
from tests.browser.helpers import (
    LAPTOP,
    PHONE,
    assert_accessible,
    open_page,
    save_screenshot,
    sign_in,
)
from tests.conftest import copy_demo
from tests.services.smtp_sink import SmtpSink

pytestmark = pytest.mark.browser

AGENT_ID, USER, PASSWORD = "A0001", "a0001", "sunshift-agent"
AGENT_EMAIL = "liam.smith.a0001@sunshift.example"


@pytest.fixture(scope="module")
def leave_server(published_demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The demo published on a server of its own (a copy of the session's
    ``published_demo``): approving changes its data."""
    own = copy_demo(published_demo, tmp_path_factory.mktemp("time-off-service"))
    yield from _serve(own.url, own.roster_dir)


def _two_working_days(server: DemoServer) -> tuple[date, date]:
    """Two consecutive dates on which the published roster gives him a shift."""
    roster, errors = read_roster_folder(server.roster_dir)
    assert not errors
    days = sorted({a.date for a in roster.assignments if a.agent_id == AGENT_ID})
    for first, second in zip(days, days[1:], strict=False):
        if (second - first).days == 1:
            return first, second
    pytest.fail(f"{AGENT_ID} never works two days in a row")


def _expected_impact(server: DemoServer, first: date, last: date) -> Counter[str]:
    """Shortfall added per language, recomputing the whole coverage without him."""
    roster, _ = read_roster_folder(server.roster_dir)
    scenario = server.scenario
    requirements = compute_requirements(scenario)
    kept = [
        a for a in roster.assignments if not (a.agent_id == AGENT_ID and first <= a.date <= last)
    ]
    before = coverage_rows(scenario, requirements, roster.assignments)
    after = coverage_rows(scenario, requirements, kept)
    added: Counter[str] = Counter()
    for old, new in zip(before, after, strict=True):
        added[old.language] += max(0, new.required - new.staffed) - max(
            0, old.required - old.staffed
        )
    return Counter({k: v for k, v in added.items() if v})


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_two_days_off_asked_on_a_phone_approved_and_mailed(
    leave_server, chromium, screenshots_dir: Path
):
    first, second = _two_working_days(leave_server)
    expected = _expected_impact(leave_server, first, second)

    # Liam asks on his phone
    phone = open_page(chromium, PHONE)
    sign_in(phone, leave_server.base_url, USER, PASSWORD)
    phone.get_by_role("link", name="Time off").click()
    phone.get_by_label("First day off").fill(first.isoformat())
    phone.get_by_label("Last day off").fill(second.isoformat())
    phone.get_by_label("Reason").fill("my sister's wedding")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ask for time off").click()
    phone.get_by_text("Request sent").wait_for()
    mine = phone.locator("li.request").first
    assert "pending" in mine.text_content()
    assert first.isoformat() in mine.text_content() and second.isoformat() in mine.text_content()
    _fits_the_screen(phone)
    assert_accessible(phone, "my time off with a pending request (phone)")
    save_screenshot(phone, screenshots_dir, "agent-time-off-phone")

    # the planner sees the impact and approves
    laptop = open_page(chromium, LAPTOP)
    sign_in(laptop, leave_server.base_url, "planner", "sunshift-planner")
    laptop.goto(leave_server.url("/periods/1"))
    with laptop.expect_navigation():
        laptop.get_by_role("link", name=re.compile("time-off requests")).click()
    card = laptop.locator("article.request", has_text=AGENT_ID)
    assert int(card.locator(".impact-total").inner_text()) == sum(expected.values())
    shown = {
        chip.get_attribute("data-language"): int(chip.get_attribute("data-added"))
        for chip in card.locator(".by-language .chip").all()
    }
    assert shown == dict(expected)
    assert sum(expected.values()) > 0, "two working days of an agent should cost coverage"
    assert "my sister's wedding" in card.inner_text()
    assert_accessible(laptop, "a period's time-off requests with one pending")
    card.locator("details summary").click()
    assert card.locator("table.impact-intervals tbody tr").count() > 0
    assert_accessible(laptop, "a period's time-off requests, intervals unfolded")
    save_screenshot(laptop, screenshots_dir, "planner-time-off-impact")

    # on demand: a quick re-solve around it (locked shifts kept), nothing recorded
    card.get_by_role("button", name=re.compile("^Re-solve around it")).click()
    laptop.wait_for_url(re.compile(r"/jobs/\d+$"))
    laptop.locator("#job-roster-link").wait_for(state="visible", timeout=120_000)
    laptop.goto(leave_server.url("/periods/1/time-off-requests"))
    card = laptop.locator("article.request", has_text=AGENT_ID)
    assert card.locator(".resolve-total").count() == 1
    assert re.search(r"\d+ shift\(s\) changed in draft #\d+", card.locator(".resolve").inner_text())
    assert_accessible(laptop, "a period's time-off requests after a re-solve around one")
    with laptop.expect_navigation():
        card.get_by_role("button", name=re.compile("^Approve")).click()
    laptop.get_by_text(re.compile("Approved: A0001")).wait_for()
    assert "/rosters/" in laptop.url  # the draft without his two days, to re-solve or edit
    assert laptop.get_by_text(re.compile(r"Draft #\d+ is the published roster without")).count()

    # Liam sees it approved
    phone.goto(leave_server.url("/me/time-off"))
    mine = phone.locator("li.request").first
    assert "approved" in mine.text_content() and "Approved by planner" in mine.text_content()
    assert_accessible(phone, "my time off with an approved request (phone)")
    phone.context.close()
    laptop.context.close()

    # and receives the e-mail
    sink = SmtpSink().start()
    try:
        sessions = session_factory(make_engine(leave_server.database_url))
        sent = send_due(sessions, sink.settings(), "journey")
        assert sent.sent, sent
        to_him = [message for message in sink.messages if AGENT_EMAIL in message["To"]]
    finally:
        sink.stop()
    # besides the demo publish's mail of his shifts (``published_demo``), one about this
    approved = [message for message in to_him if "approved" in message["Subject"]]
    assert len(approved) == 1 and len(to_him) == 2, [m["Subject"] for m in to_him]
    assert first.strftime("%d %b") in approved[0]["Subject"]
