"""A planner's second month in a real browser: the first period is imported, solved
and published; the next one, starting where it ends, says it follows it, is solved
with its last days as history, and is published with no warning; the first period's
history.csv is offered for the CLI path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import LAPTOP, assert_accessible, open_page, sign_in
from tests.chained import next_period_folder

pytestmark = pytest.mark.browser

SOLVE_SECONDS = "2"  # any valid roster will do
FILES = ("scenario.toml", "agents.csv", "forecast.csv", "time_off.csv")


@pytest.fixture
def planner_page(chromium, fresh_server):
    page = open_page(chromium, LAPTOP)
    sign_in(page, fresh_server.base_url, "planner", "sunshift-planner")
    yield page
    page.context.close()


def _import(page, base_url: str, folder: Path, name: str) -> None:
    page.goto(f"{base_url}/periods")
    page.get_by_label("Period name").fill(name)
    page.set_input_files("#files", [str(folder / file) for file in FILES])
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/periods/\d+$"))


def _solve_and_publish(page) -> str:
    page.get_by_label("Time limit (seconds)").fill(SOLVE_SECONDS)
    page.get_by_role("button", name="Solve now").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    page.locator("#job-roster-link").wait_for(state="visible", timeout=90_000)
    page.locator("#job-roster-link").click()
    page.wait_for_url(re.compile(r"/rosters/\d+$"))
    roster_url = page.url
    page.get_by_role("link", name="Review and publish…").click()
    page.wait_for_url(re.compile(r"/rosters/\d+/publish$"))
    with page.expect_navigation():
        page.get_by_role("button", name="Publish this roster").click()
    expect(page.locator(".flash.success", has_text="Published").first).to_be_visible()
    assert page.locator("h1 .state").inner_text().strip().lower() == "published"
    return roster_url


def test_a_second_month_follows_the_first(planner_page, fresh_server, spec_example_dir, tmp_path):
    page = planner_page
    following = next_period_folder(spec_example_dir, tmp_path / "week-2")

    _import(page, fresh_server.base_url, spec_example_dir, "June, week 1")
    assert "Follows no period" in page.locator("#follows").inner_text()
    first_roster = _solve_and_publish(page)
    first_id = first_roster.rsplit("/", 1)[-1]
    expect(page.locator("#history-link")).to_be_visible()

    _import(page, fresh_server.base_url, following, "June, week 2")
    follows = page.locator("#follows").inner_text()
    assert "June, week 1" in follows and f"#{first_id}" in follows
    assert "history" in follows
    assert_accessible(page, "a period that follows another")
    _solve_and_publish(page)
    assert page.locator("#roster-status").count() == 0  # computed after the published week 1
    assert page.locator(".flash.error").count() == 0

    page.goto(first_roster)
    with page.expect_download() as download:
        page.locator("#history-link").click()
    assert download.value.suggested_filename == f"history-june-week-1-v{first_id}.csv"
    page.get_by_role("link", name="June, week 1").first.click()
    expect(page.locator(".followed-by").first).to_contain_text("June, week 2")
