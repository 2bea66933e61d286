"""A planner imports a scenario whose Japanese demand comes from Japan and opens the
period page over Golden Week, in a real browser: the adjusted forecast per UTC day
is shown with the holiday that changed it, and the page passes axe at laptop and
phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import VIEWPORTS, assert_accessible, open_page, sign_in
from tests.unit.requirements.market_scenarios import write_scenario

pytestmark = pytest.mark.browser

MARKETS = """[markets.ja]
countries = { JP = 1.0 }
holiday_factor = 0.3
[markets.en.phone]
answer_seconds = 300
"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_period_page_shows_the_adjusted_forecast(chromium, fresh_server, tmp_path, viewport):
    folder = write_scenario(
        tmp_path / "gw",
        "2027-05-05",
        2,
        [("ja", "phone", 20, 300), ("en", "phone", 20, 300)],
        MARKETS,
    )
    page = open_page(chromium, viewport)
    try:
        sign_in(page, fresh_server.base_url, "planner", "sunshift-planner")
        page.goto(fresh_server.url("/periods"))
        page.get_by_label("Name").fill(f"Golden Week {viewport.name}")
        page.set_input_files("#files", [str(path) for path in sorted(folder.iterdir())])
        page.get_by_role("button", name="Import").click()
        page.wait_for_url(re.compile(r"/periods/\d+$"))

        ja = page.locator('#markets article[data-language="ja"]')
        expect(ja).to_be_visible()
        first = ja.locator("tbody tr").first
        assert re.sub(r"\s+", " ", first.inner_text()).strip() == (
            "Wed 05 May 480.0 270.0 -44% JP Children's Day (Wed 05 May): 100% of demand x0.3"
        )
        expect(
            page.locator('#markets article[data-language="en"]').get_by_text(
                "phone 80% within 300 s (its own)"
            )
        ).to_be_visible()
        assert_accessible(page, f"period page with markets ({viewport.name})")
    finally:
        page.context.close()
