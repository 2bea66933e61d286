"""In a real browser, the overview shows a planner the published roster: its status,
coverage per language, where coverage falls short and why, and every site with
its local public holidays in the horizon."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from calendars.public_holidays import EXTRA_HOLIDAY_NAME, site_holidays

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser


def table_captioned(page: Page, caption: str) -> Locator:
    return page.locator("table", has=page.locator("caption", has_text=caption))


def figure(page: Page, label: str) -> Locator:
    """The value shown under a roster figure's label (Status, Shortfall, ...)."""
    return page.locator(".figures div", has=page.locator("dt", has_text=label)).locator("dd")


def test_overview_shows_the_published_roster_status(demo_server, laptop_page):
    page = laptop_page
    response = page.goto(demo_server.url("/"))
    assert response.status == 200
    summary = json.loads((demo_server.roster_dir / "summary.json").read_text())

    assert page.locator("h1").inner_text() == demo_server.scenario.name
    assert page.title().endswith("· Sunshift")
    assert figure(page, "Status").inner_text() == summary["status"]
    assert figure(page, "Shortfall").inner_text().split()[0] == str(summary["shortfall"])
    assert figure(page, "Violations").inner_text() == "0"


def test_overview_shows_coverage_per_language(demo_server, laptop_page):
    page = laptop_page
    page.goto(demo_server.url("/"))
    coverage = table_captioned(page, "Coverage per language")
    assert coverage.is_visible()
    codes = coverage.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(codes) == sorted(demo_server.scenario.languages)
    for row in coverage.locator("tbody tr").all():
        share = row.locator("td").nth(4).inner_text()
        assert share.endswith("%") and 0 <= float(share[:-1]) <= 100


def test_overview_explains_where_coverage_falls_short(demo_server, laptop_page):
    page = laptop_page
    page.goto(demo_server.url("/"))
    largest = json.loads((demo_server.roster_dir / "summary.json").read_text())["gaps"]["largest"]
    assert largest, "a 3-second solve of the demo always leaves gaps (Easter, thin languages)"

    gaps = table_captioned(page, "Where coverage falls short, and why")
    assert gaps.is_visible()
    rows = gaps.locator("tbody tr")
    assert rows.count() == len(largest)
    first = rows.first.locator("td")
    assert first.nth(0).inner_text() == largest[0]["language"]
    assert first.nth(3).inner_text() == str(largest[0]["missing_agent_intervals"])
    assert first.nth(6).inner_text() == largest[0]["reason"]
    # the binding reason's breakdown is one hover away
    assert first.nth(6).get_attribute("title") == largest[0]["details"]


def test_overview_lists_every_site_with_its_holidays_in_the_horizon(demo_server, laptop_page):
    page = laptop_page
    page.goto(demo_server.url("/"))
    scenario = demo_server.scenario
    first, last = scenario.horizon.dates[0], scenario.horizon.dates[-1]
    cards = page.locator("article.card")
    assert cards.count() == len(scenario.sites)

    for site in scenario.sites:
        card = cards.filter(has=page.locator("h3", has_text=site.name))
        assert card.count() == 1, site.name
        expected = site_holidays(
            site.country, site.subdivision, {first.year, last.year}, site.extra_holidays
        )
        in_horizon = sorted(day.isoformat() for day in expected if first <= day <= last)
        shown = [day.get_attribute("datetime") for day in card.locator(".holidays time").all()]
        assert shown == in_horizon, site.name
        if not in_horizon:
            assert card.get_by_text("No public holidays in the horizon.").is_visible()

    dublin = cards.filter(has=page.locator("h3", has_text="Dublin"))
    assert "Easter Monday" in dublin.locator(".holidays").inner_text()
    mexico = cards.filter(has=page.locator("h3", has_text="Mexico City"))
    assert EXTRA_HOLIDAY_NAME in mexico.locator(".holidays").inner_text()


def test_navigation_leads_from_overview_to_agents_and_back(demo_server, laptop_page):
    page = laptop_page
    page.goto(demo_server.url("/"))
    page.get_by_role("link", name="Agents").click()
    page.wait_for_url(demo_server.url("/agents"))
    assert page.locator("h1").inner_text().startswith("Agents")
    assert page.locator('nav a[aria-current="page"]').inner_text() == "Agents"
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(demo_server.url("/"))
    assert page.locator("h1").inner_text() == demo_server.scenario.name
