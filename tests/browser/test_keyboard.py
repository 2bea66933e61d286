"""Keyboard-only journeys in a real browser: signing in, solving, publishing, reading
the heatmap and an agent taking their calendar link, with Tab, Shift+Tab, Enter and the
arrow keys alone. Every element focused on the way shows Sunshift's focus ring on screen
(``helpers.tab_to``), and the states only these journeys reach (a solve in progress, a
finished solve, a published roster, a calendar link just made) pass axe-core's WCAG 2.1
A/AA rules.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from scheduler.demo import DEMO_PERIOD
from scheduler.roster_io import read_roster_folder
from tests.browser.helpers import (
    LAPTOP,
    PHONE,
    assert_accessible,
    assert_focus_visible,
    focused,
    open_page,
    tab_to,
)
from web.ui import heatmap

pytestmark = pytest.mark.browser

SOLVE_SECONDS = "5"


def keyboard_sign_in(page, base_url: str, name: str, password: str) -> None:
    """Sign in with the keyboard: the user name has focus, Tab to the password, Enter."""
    page.goto(f"{base_url}/login")
    # autofocus lands at the next rendering after the load, not with it
    expect(page.locator("#name")).to_be_focused()
    assert focused(page)["id"] == "name", "the sign-in form does not start on the user name"
    page.keyboard.type(name)
    assert tab_to(page, selector="#password")
    page.keyboard.type(password)
    tab_to(page, text="Sign in")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url


@pytest.fixture
def page(chromium):
    page = open_page(chromium, LAPTOP)
    yield page
    page.context.close()


def test_sign_in_and_skip_to_the_content(page, demo_server):
    keyboard_sign_in(page, demo_server.base_url, "planner", "sunshift-planner")
    assert page.url == demo_server.url("/periods")

    # The first Tab stop is the skip link, shown on screen while focused.
    skip = tab_to(page, selector=".skip-link")
    assert skip["text"] == "Skip to the content"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"
    # The next Tab lands inside the content, past the header's links and Sign out.
    found = tab_to(page, selector="main a, main button, main input, main select")
    assert found["text"] == DEMO_PERIOD

    # Shift+Tab goes back out to the header, Sign out first.
    page.keyboard.press("Shift+Tab")
    assert assert_focus_visible(page)["text"] == "Sign out"


def test_solve_and_publish_with_the_keyboard(page, imported_server):
    keyboard_sign_in(page, imported_server.base_url, "planner", "sunshift-planner")
    tab_to(page, text=DEMO_PERIOD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/periods/1$", page.url)

    tab_to(page, selector="#time_limit_seconds")
    page.keyboard.press("Control+A")
    page.keyboard.type(SOLVE_SECONDS)
    tab_to(page, text="Solve now")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/jobs/\d+$", page.url)

    # While it runs, the live region tells the progress; the bar has a name.
    announcer = page.locator("#job-announce")
    assert announcer.get_attribute("aria-live") == "polite"
    assert page.get_by_role("progressbar", name=re.compile("Solve time used")).count() == 1
    page.wait_for_function(
        "() => document.getElementById('job-announce').textContent.startsWith('Solve ')",
        timeout=30_000,
    )
    progress = announcer.inner_text()
    assert re.match(r"Solve (queued|running|succeeded)", progress), progress
    if page.locator("#job-cancel").count():
        assert_accessible(page, "solve job running")
    # Tab to Cancel (the roster link instead, if the solve already ended): when the
    # solve ends the button goes away, and focus moves to the roster link, not the page.
    tab_to(page, selector="#job-cancel button, #job-roster-link")

    # When it ends, the result is announced and focus moves to the roster link.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'job-roster-link'",
        timeout=90_000,
    )
    assert assert_focus_visible(page)["text"] == "Open the roster"
    result = announcer.inner_text()
    assert result.startswith("Solve succeeded:") and "Open the roster" in result, result
    assert re.search(r"shortfall \d+", result), result
    assert page.locator("#job-cancel").count() == 0
    assert_accessible(page, "solve job finished")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/rosters/\d+$", page.url)

    tab_to(page, text="Review and publish…")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/rosters/\d+/publish$", page.url)
    assert_accessible(page, "publish confirmation of a first roster")
    tab_to(page, text="Publish this roster")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash.success", has_text="Published").first).to_be_visible()
    assert page.locator("h1 .state").inner_text().strip().lower() == "published"
    assert_accessible(page, "roster just published")


def test_heatmap_cells_read_with_the_arrow_keys(page, demo_server):
    roster, errors = read_roster_folder(demo_server.roster_dir)
    assert roster is not None, errors
    keyboard_sign_in(page, demo_server.base_url, "planner", "sunshift-planner")
    page.goto(demo_server.url("/rosters/1?language=en"))
    expected = heatmap.detail(demo_server.scenario, roster, "en")
    times = expected.column_labels
    readout = page.locator("#hm-readout")
    assert readout.get_attribute("aria-live") == "polite"

    def cell_at(day: int, slot: int) -> tuple[str, str]:
        """What the focused cell and the readout must say at ``day`` and ``slot``."""
        row = expected.rows[day]
        cell = row.cells[slot]
        said = (
            f"en · {row.day:%a %d %b} {times[slot]} UTC: required {cell.required}, "
            f"staffed {cell.staffed}"
        )
        return cell.text, said

    def check(day: int, slot: int) -> None:
        text, said = cell_at(day, slot)
        found = assert_focus_visible(page, "#heatmap-detail td.hm")
        assert found["matches"], found
        assert page.evaluate("() => document.activeElement.textContent.trim()").startswith(text)
        assert readout.inner_text().startswith(said), (readout.inner_text(), said)

    # Tab enters the grid on its first cell; one Tab stop for the whole grid.
    tab_to(page, selector="#heatmap-detail td.hm")
    check(0, 0)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    check(0, 2)
    page.keyboard.press("ArrowDown")
    check(1, 2)
    page.keyboard.press("End")
    check(1, len(times) - 1)
    page.keyboard.press("ArrowRight")  # stays at the edge
    check(1, len(times) - 1)
    page.keyboard.press("Home")
    check(1, 0)
    page.keyboard.press("Control+End")
    check(len(expected.rows) - 1, len(times) - 1)
    page.keyboard.press("Tab")  # leaves the grid
    assert not focused(page, "#heatmap-detail td.hm")["matches"]
    page.keyboard.press("Shift+Tab")  # comes back to the cell it left
    check(len(expected.rows) - 1, len(times) - 1)

    # Read as a table: a caption, every column headed by its time, every cell in words.
    detail = page.locator("#heatmap-detail")
    assert detail.get_attribute("role") == "grid"
    assert "agents staffed of those required" in detail.locator("caption").inner_text()
    headers = detail.locator("thead th").all_text_contents()
    assert headers == ["UTC day", *times, "Events"]
    first_row = detail.locator("tbody tr").first.locator("td.hm").all_text_contents()
    assert first_row == [cell.text for cell in expected.rows[0].cells]


def test_agent_makes_a_calendar_link_with_the_keyboard(page, demo_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    keyboard_sign_in(page, demo_server.base_url, "a0001", "sunshift-agent")
    assert page.url == demo_server.url("/me")
    # "Make my subscription link" ("Make a new ..." once there is one)
    assert "subscription link" in tab_to(page, selector="#calendar button.primary")["text"]
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The new link has the focus, so it is read out at once; Tab reaches Copy link.
    expect(page.locator("#calendar-url")).to_be_focused()  # autofocus: a frame after load
    link = assert_focus_visible(page)
    assert link["id"] == "calendar-url"
    url = link["text"]
    assert url.startswith(demo_server.url("/ical/")) and url.endswith(".ics"), url
    assert_accessible(page, "my shifts with a new calendar link")
    tab_to(page, text="Copy link")
    page.keyboard.press("Enter")
    expect(page.locator("#copy-calendar-url")).to_have_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == url

    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.body()


def test_a_wide_table_scrolls_with_the_keyboard_on_a_phone(chromium, demo_server):
    page = open_page(chromium, PHONE)
    try:
        keyboard_sign_in(page, demo_server.base_url, "planner", "sunshift-planner")
        page.goto(demo_server.url("/rosters/1/grid"))
        # The grid's box scrolls sideways: it is a Tab stop of its own, named after the page.
        box = tab_to(page, selector=".scroll[role=region]")
        assert box["tag"] == "div"
        label = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        assert label.startswith("Roster grid"), label
        assert page.evaluate("() => document.activeElement.scrollLeft") == 0
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    finally:
        page.context.close()
