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


def open_page(browser: Browser, viewport: Viewport) -> Page:
    """A fresh page (own cookies and cache) at ``viewport``'s size; close its ``context``."""
    context = browser.new_context(viewport={"width": viewport.width, "height": viewport.height})
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
