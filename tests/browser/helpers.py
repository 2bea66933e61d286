"""What browser tests share besides fixtures: Debian's chromium and how it is
launched, the device sizes pages must work at, and screenshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # without these the browser phones home, and a closed network refuses it
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS_ENV = "SUNSHIFT_SCREENSHOTS"
DOCS_SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass(frozen=True)
class Viewport:
    """A device size the pages must work at."""

    name: str
    width: int
    height: int


LAPTOP = Viewport("laptop", 1280, 800)
PHONE = Viewport("phone", 390, 844)
VIEWPORTS = (LAPTOP, PHONE)


def open_page(browser: Browser, viewport: Viewport, storage_state: dict | None = None) -> Page:
    """A fresh page (own cookies and cache) at ``viewport``'s size, starting with the
    cookies of ``storage_state`` when given; close its ``context``."""
    context = browser.new_context(
        viewport={"width": viewport.width, "height": viewport.height}, storage_state=storage_state
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def save_screenshot(page: Page, folder: Path, name: str) -> Path:
    """Write what the user first sees of ``page`` (one screen, README-sized) as ``name.png``."""
    target = folder / f"{name}.png"
    page.screenshot(path=str(target))
    return target


def sign_in(page: Page, base_url: str, name: str, password: str) -> None:
    """Sign in through the form, as a person would, and wait for the start page."""
    page.goto(f"{base_url}/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""The axe-core rules run on every page: all of WCAG 2.0 and 2.1, levels A and AA."""


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on ``page`` as it is now, one line per rule:
    its id, impact, how many elements and the first few of them (empty: none found)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [
        f"{rule['id']} ({rule['impact']}) on {len(rule['nodes'])} element(s): {rule['help']}; "
        + ", ".join(" ".join(node["target"]) for node in rule["nodes"][:3])
        for rule in results.response["violations"]
    ]


def assert_accessible(page: Page, what: str) -> None:
    """Fail with axe-core's findings when ``page`` breaks a WCAG 2.1 A or AA rule."""
    found = axe_violations(page)
    assert not found, f"{what}: WCAG 2.1 A/AA violations\n" + "\n".join(found)


# What has the keyboard focus, and whether it shows our focus ring (style.css draws a
# 3px solid outline on :focus-visible; the browser's default ring is "auto").
FOCUSED_JS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
    matches: selector ? el.matches(selector) : false,
    ring: el.matches(':focus-visible') && style.outlineStyle === 'solid'
      && parseFloat(style.outlineWidth) >= 2,
    on_screen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""


def focused(page: Page, selector: str | None = None) -> dict | None:
    """The focused element (tag, id, text, whether it matches ``selector``, shows our
    focus ring and is on screen), or None when focus is on the page itself."""
    return page.evaluate(FOCUSED_JS, selector)


def assert_focus_visible(page: Page, selector: str | None = None) -> dict:
    """The focused element (see ``focused``), after checking that it shows our focus ring
    on screen."""
    found = focused(page, selector)
    assert found is not None, "focus fell to the page"
    assert found["ring"] and found["on_screen"], f"focus not visible: {found}"
    return found


def tab_to(page: Page, *, text: str | None = None, selector: str | None = None) -> dict:
    """Press Tab until the focused element has ``text`` (its text, value or label) or
    matches ``selector``; every stop on the way must show the focus ring on screen."""
    for _ in range(120):
        page.keyboard.press("Tab")
        found = assert_focus_visible(page, selector)
        if (text is not None and found["text"] == text) or found["matches"]:
            return found
    raise AssertionError(f"Tab never reached {text or selector}")
