"""Real-browser fixtures: the Sunshift service on waitress, driven by Debian's chromium.

``demo_server`` is what ``make demo`` serves (``create_service_app``) on a copy of
the session's ``published_demo``: the demo's sign-ins, then the bundled demo
scenario imported, solved for a few seconds, checked and published; ``fresh_server`` is the
same app on an empty database with only the sign-ins, for journeys that start
from nothing. Each listens on a free localhost port in a background thread. The
browser is /usr/bin/chromium (installed by ``scripts/ensure_chromium.sh``, never
downloaded by Playwright).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from config.settings import DEMO_SCENARIO_DIR
from scheduler.demo import DEMO_PERIOD, ensure_demo_users
from scheduler.domain import Scenario
from scheduler.imports import load_scenario
from scheduler.services import import_folder
from scheduler.storage.db import make_engine, session_factory
from scheduler.storage.migrate import upgrade_database
from tests.browser.helpers import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    DOCS_SCREENSHOTS_DIR,
    LAPTOP,
    SCREENSHOTS_ENV,
    Viewport,
    open_page,
    sign_in,
)
from tests.conftest import StoredDemo, copy_demo
from web.app import create_service_app
from web.clock import TODAY_SETTING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'"
)

DEMO_TODAY = date(2027, 3, 15)
"""A week before the demo's horizon: the pages' today (``web.clock``) for every test."""


@dataclass(frozen=True)
class DemoServer:
    """A running service, the demo scenario and where the demo roster folder was written
    (the folder is empty on ``fresh_server``)."""

    base_url: str
    scenario: Scenario
    roster_dir: Path
    database_url: str

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture(scope="session")
def demo_server(
    published_demo: StoredDemo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    """The demo service with a published roster, on waitress at a free localhost port: a
    copy of the session's ``published_demo`` (tests/conftest.py: what ``make demo``
    prepares, the sign-ins first, so the publish mailed the agents)."""
    own = copy_demo(published_demo, tmp_path_factory.mktemp("demo-service"))
    yield from _serve(own.url, own.roster_dir)


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The service on an empty database: only the demo's sign-ins, no period yet."""
    folder = tmp_path_factory.mktemp("fresh-service")
    url = f"sqlite:///{folder / 'sunshift.db'}"
    upgrade_database(url)
    ensure_demo_users(session_factory(make_engine(url)))
    yield from _serve(url, folder / "roster")


@pytest.fixture(scope="module")
def imported_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The service with the demo scenario imported as a period (id 1), not solved yet,
    and the demo's sign-ins: for journeys that solve and publish it themselves."""
    folder = tmp_path_factory.mktemp("imported-service")
    url = f"sqlite:///{folder / 'sunshift.db'}"
    upgrade_database(url)
    sessions = session_factory(make_engine(url))
    import_folder(sessions, DEMO_SCENARIO_DIR, None, period_name=DEMO_PERIOD)
    ensure_demo_users(sessions)
    yield from _serve(url, folder / "roster")


def _serve(url: str, roster_dir: Path) -> Iterator[DemoServer]:
    import waitress.server

    app = create_service_app(url)
    app.config[TODAY_SETTING] = DEMO_TODAY  # the demo's shifts stay upcoming in any year
    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress-sunshift", daemon=True)
    thread.start()
    try:
        yield DemoServer(
            base_url=f"http://127.0.0.1:{server.effective_port}",
            scenario=load_scenario(DEMO_SCENARIO_DIR),
            roster_dir=roster_dir,
            database_url=url,
        )
    finally:
        server.close()
        server.task_dispatcher.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, launched headless once per session."""
    if not CHROMIUM_PATH.exists():
        pytest.skip(f"{CHROMIUM_PATH} is missing: run scripts/ensure_chromium.sh")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def signed_in_page(chromium: Browser) -> Callable[..., Page]:
    """``signed_in_page(server, viewport, name, password)``: a fresh page (a context of its
    own, to close) of a user signed in on ``server``. The first call for a user signs in
    through the form (``helpers.sign_in``); later ones start from that sign-in's cookies,
    so tests of what pages show do not each sign in again (the journeys do)."""
    states: dict[tuple[str, str], dict] = {}

    def open_signed_in(server: DemoServer, viewport: Viewport, name: str, password: str) -> Page:
        key = (server.database_url, name)
        if key not in states:
            page = open_page(chromium, LAPTOP)
            try:
                sign_in(page, server.base_url, name, password)
                states[key] = page.context.storage_state()
            finally:
                page.context.close()
        return open_page(chromium, viewport, storage_state=states[key])

    return open_signed_in


@pytest.fixture
def laptop_page(chromium: Browser) -> Iterator[Page]:
    """A fresh page at laptop size (1280x800)."""
    page = open_page(chromium, LAPTOP)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots/ when SUNSHIFT_SCREENSHOTS=1 (for the README), else a temp folder."""
    if os.environ.get(SCREENSHOTS_ENV) == "1":
        DOCS_SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS_DIR
    return tmp_path_factory.mktemp("screenshots")
