"""Every role's pages work on a laptop and on a phone: the page itself never scrolls
sideways; a table wider than the screen scrolls inside its own container. Each
page and width is saved as a screenshot (to docs/screenshots/ with
SUNSHIFT_SCREENSHOTS=1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import VIEWPORTS, open_page, save_screenshot

pytestmark = pytest.mark.browser

SIGN_INS = {
    "planner": ("planner", "sunshift-planner"),
    "hr": ("hr", "sunshift-hr"),
    "agent": ("a0029", "sunshift-agent"),
}
PAGES = {
    # name: (who signs in, path); the demo period and its published roster have id 1
    "sign-in": (None, "/login"),
    "periods": ("planner", "/periods"),
    "period": ("planner", "/periods/1"),
    "roster": ("planner", "/rosters/1"),
    "grid": ("planner", "/rosters/1/grid"),
    "agent-edit": ("planner", "/rosters/1/agents/A0029"),
    "exports": ("hr", "/exports"),
    "hours": ("hr", "/exports/1"),
    "my-shifts": ("agent", "/me"),
    "forbidden": ("agent", "/periods"),
}

# Every table wider than the window, with what lets it scroll and where that ends.
WIDE_TABLES_JS = """() => [...document.querySelectorAll('table')]
  .filter(table => table.getBoundingClientRect().width > window.innerWidth)
  .map(table => {
    const box = table.closest('.scroll');
    return {
      caption: table.caption ? table.caption.innerText.slice(0, 40) : '(no caption)',
      container: box ? getComputedStyle(box).overflowX : null,
      containerRight: box ? box.getBoundingClientRect().right : null,
    };
  })"""


@pytest.fixture(params=VIEWPORTS, ids=lambda viewport: viewport.name)
def viewport(request):
    return request.param


@pytest.mark.parametrize("page_name", PAGES)
def test_page_fits_the_screen_width(
    demo_server, chromium, signed_in_page, viewport, page_name, screenshots_dir
):
    role, path = PAGES[page_name]
    if role is None:
        page = open_page(chromium, viewport)
    else:  # with the role's sign-in cookies
        page = signed_in_page(demo_server, viewport, *SIGN_INS[role])
    try:
        response = page.goto(demo_server.url(path))
        assert response.status == (403 if page_name == "forbidden" else 200)
        page.wait_for_load_state("load")

        sizes = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        assert sizes["inner"] == viewport.width
        assert sizes["scroll"] <= sizes["inner"], f"{page_name} scrolls sideways: {sizes}"

        for table in page.evaluate(WIDE_TABLES_JS):
            assert table["container"] in ("auto", "scroll"), table
            assert table["containerRight"] <= viewport.width, table

        if role is not None:
            expect(page.locator("header.top nav")).to_be_visible()
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        save_screenshot(page, screenshots_dir, f"{page_name}-{viewport.name}")
    finally:
        page.context.close()
