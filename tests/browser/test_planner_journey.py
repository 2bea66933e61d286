"""A planner's whole journey on a fresh database, in a real browser: sign in, import
the demo scenario (a broken file first: every error listed by file and line, nothing
stored), solve while the progress updates live, read the heatmap and the gaps,
publish, then find and lock a shift in the grid. Screenshots of each page are saved
(to docs/screenshots/ with SUNSHIFT_SCREENSHOTS=1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from config.settings import DEMO_SCENARIO_DIR
from tests.browser.helpers import (
    LAPTOP,
    assert_accessible,
    open_page,
    save_screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

SOLVE_SECONDS = "6"
DEMO_FILES = ("scenario.toml", "agents.csv", "forecast.csv", "time_off.csv")


@pytest.fixture
def planner_page(chromium, fresh_server):
    page = open_page(chromium, LAPTOP)
    sign_in(page, fresh_server.base_url, "planner", "sunshift-planner")
    yield page
    page.context.close()


def test_planner_imports_solves_reads_gaps_and_publishes(
    planner_page, fresh_server, screenshots_dir, tmp_path
):
    page = planner_page
    assert page.url.endswith("/periods")
    expect(page.get_by_text("No planning period yet")).to_be_visible()

    # A broken agents.csv: the page lists each problem with its file and line.
    broken = tmp_path / "agents.csv"
    lines = (DEMO_SCENARIO_DIR / "agents.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",32,", ",forty,")  # line 3: hours_per_week
    lines[4] = re.sub(r",yyz,", ",nowhere,", lines[4])  # line 5: unknown site
    broken.write_text("\n".join(lines) + "\n")
    files = [str(DEMO_SCENARIO_DIR / name) for name in DEMO_FILES if name != "agents.csv"]
    page.set_input_files("#files", [*files, str(broken)])
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    error_rows = errors.locator("tbody tr")
    assert error_rows.count() >= 2
    text = errors.inner_text()
    assert "agents.csv" in text and "hours_per_week" in text and "site" in text
    assert re.search(r"agents\.csv\s+3\s+hours_per_week", text), text
    assert re.search(r"agents\.csv\s+5\s+site", text), text
    assert_accessible(page, "import errors")
    save_screenshot(page, screenshots_dir, "planner-import-errors")
    page.goto(fresh_server.url("/periods"))
    # a broken import stored nothing
    expect(page.get_by_text("No planning period yet")).to_be_visible()

    # The real files import into a period.
    page.set_input_files("#files", [str(DEMO_SCENARIO_DIR / name) for name in DEMO_FILES])
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/periods/\d+$"))
    expect(page.get_by_role("heading", name=re.compile("Sunshift demo"))).to_be_visible()
    expect(page.get_by_text("Clocks change on Sun 28 Mar").first).to_be_visible()
    save_screenshot(page, screenshots_dir, "planner-period")

    # Solve, watching the figures change while the job runs.
    page.get_by_label("Time limit (seconds)").fill(SOLVE_SECONDS)
    page.get_by_role("button", name="Solve now").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    page.wait_for_function(
        "() => document.getElementById('job-shortfall').textContent.trim() !== '—'",
        timeout=30_000,
    )
    assert page.locator("#job-state").inner_text().strip().lower() in ("running", "succeeded")
    save_screenshot(page, screenshots_dir, "planner-solve-progress")
    page.locator("#job-roster-link").wait_for(state="visible", timeout=60_000)
    assert page.locator("#job-state").inner_text().strip().lower() == "succeeded"
    assert page.locator("#job-coverage").inner_text().endswith("%")
    page.locator("#job-roster-link").click()
    page.wait_for_url(re.compile(r"/rosters/\d+$"))

    # The heatmap marks the European clock change and Easter; the gaps give reasons.
    overview = page.locator("#heatmap-overview")
    expect(overview).to_be_visible()
    sunday = overview.locator("th.day", has_text="28 Mar")
    assert sunday.locator(".mark.dst").count() == 1
    assert "clocks change" in sunday.get_attribute("title")
    assert overview.locator("th.day", has_text="26 Mar").locator(".mark.holiday").count() == 1
    detail = page.locator("#heatmap-detail")
    assert detail.locator("td.hm.dst").count() >= 1
    detail.locator("tbody tr").nth(3).locator("td.hm").nth(20).hover()
    assert re.search(r"UTC: required \d+, staffed \d+", page.locator("#hm-readout").inner_text())
    assert page.locator("#language-table .chip").count() > 0  # projected service levels
    gap_rows = page.locator("#gap-list tbody tr")
    assert gap_rows.count() > 0
    assert gap_rows.first.locator("td").nth(6).inner_text().strip()  # a reason
    page.locator("#heatmap h2").evaluate("heading => heading.scrollIntoView()")
    save_screenshot(page, screenshots_dir, "planner-roster-heatmap")
    page.locator("#gaps h2").evaluate("heading => heading.scrollIntoView()")
    save_screenshot(page, screenshots_dir, "planner-gaps")

    # Publish: the independent checker passes it and the version is published.
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("link", name="Review and publish…").click()
    page.get_by_role("button", name="Publish this roster").click()
    expect(page.locator(".flash.success", has_text="Published").first).to_be_visible()
    assert page.locator("h1 .state").inner_text().strip().lower() == "published"
    save_screenshot(page, screenshots_dir, "planner-roster-published")

    # The grid filters by site; locking a published shift goes into a new draft.
    page.get_by_role("link", name="Roster grid and edits").click()
    page.get_by_label("Site").select_option(label="Dublin")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    rows = page.locator("#roster-grid tbody tr")
    assert rows.count() > 0
    for index in range(rows.count()):
        assert "Dublin" in rows.nth(index).locator("th").inner_text()
    save_screenshot(page, screenshots_dir, "planner-grid")
    with page.expect_navigation():
        rows.first.locator("th a").click()
    with page.expect_navigation():
        page.locator("#agent-shifts").get_by_role("button", name="Lock").first.click()
    expect(page.locator(".flash.success", has_text="new draft")).to_be_visible()
    assert page.locator("#agent-shifts .lock").count() == 1
    assert page.locator("h1 + .lede .state").inner_text().strip().lower() == "draft"

    # Removing a shift asks first: cancelling keeps it, confirming removes it.
    shifts = page.locator("#agent-shifts tbody tr")
    before = shifts.count()
    page.once("dialog", lambda dialog: dialog.dismiss())
    shifts.last.get_by_role("button", name="Remove").click()
    assert shifts.count() == before
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        shifts.last.get_by_role("button", name="Remove").click()
    expect(page.locator(".flash.success", has_text="Shift removed")).to_be_visible()
    assert page.locator("#agent-shifts tbody tr").count() == before - 1
