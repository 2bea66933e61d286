"""Every page of the demo, for every role and signed out, passes axe-core's WCAG 2.1
A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa) in a real browser.

axe-core (the copy shipped with the ``axe-playwright-python`` package) runs inside
the page after it has loaded and its scripts have run. Keyboard-only journeys are in
``test_keyboard.py``; states only a journey reaches (a solve in progress, import
errors, a calendar link just made) are checked with axe there.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from scheduler.demo import prepare_demo
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from tests.browser.helpers import LAPTOP, VIEWPORTS, assert_accessible, open_page, sign_in

pytestmark = pytest.mark.browser

SIGN_INS = {
    "planner": ("planner", "sunshift-planner"),
    "hr": ("hr", "sunshift-hr"),
    "agent a0001": ("a0001", "sunshift-agent"),
    "agent a0029": ("a0029", "sunshift-agent"),
    "agent a0095": ("a0095", "sunshift-agent"),
    "admin": ("ada", "sunshift-admin"),
}
PAGES = {
    # name: (who signs in, path, status); the demo period, its solve job and its
    # published roster have id 1
    "sign-in": (None, "/login", 200),
    "not-found signed out": (None, "/no-such-page", 404),
    "periods": ("planner", "/periods", 200),
    "period": ("planner", "/periods/1", 200),
    "solve job": ("planner", "/jobs/1", 200),
    "roster": ("planner", "/rosters/1", 200),
    "roster, another language": ("planner", "/rosters/1?language=ja&gap_language=ja", 200),
    "roster, gaps filtered, sorted, paged": (
        "planner",
        "/rosters/1?gap_kind=traded&gap_sort=start&gap_order=desc&gap_page=2",
        200,
    ),
    "roster compared (nothing to compare with)": ("planner", "/rosters/1/compare", 200),
    "grid": ("planner", "/rosters/1/grid", 200),
    "grid, filtered": ("planner", "/rosters/1/grid?site=dub&language=en", 200),
    "grid, page 2": ("planner", "/rosters/1/grid?page=2", 200),
    "agent edit": ("planner", "/rosters/1/agents/A0029", 200),
    "audit trail": ("planner", "/periods/1/audit", 200),
    "audit trail, one agent": ("planner", "/periods/1/audit?agent_id=A0029", 200),
    "period swaps": ("planner", "/periods/1/swaps", 200),
    "time-off requests": ("planner", "/periods/1/time-off-requests", 200),
    "planner exports": ("planner", "/exports", 200),
    "planner hours": ("planner", "/exports/1", 200),
    "publish confirmation of the published roster": ("planner", "/rosters/1/publish", 200),
    "fairness report": ("planner", "/exports/1/fairness", 200),
    "not-found planner": ("planner", "/rosters/999", 404),
    "exports": ("hr", "/exports", 200),
    "hours": ("hr", "/exports/1", 200),
    "hours, one site": ("hr", "/exports/1?site=syd", 200),
    "fairness report, filtered": ("hr", "/exports/1/fairness?site=dub&language=ja", 200),
    "forbidden hr": ("hr", "/periods", 403),
    "my shifts Toronto": ("agent a0001", "/me", 200),
    "my shifts Dublin": ("agent a0029", "/me", 200),
    "my shifts Sydney": ("agent a0095", "/me", 200),
    "my swaps Dublin": ("agent a0029", "/me/swaps", 200),
    "my time off": ("agent a0029", "/me/time-off", 200),
    "forbidden agent": ("agent a0029", "/exports", 403),
    "users": ("admin", "/admin/users", 200),
    "my preferences": ("agent a0029", "/me/preferences", 200),
    "period preferences": ("planner", "/periods/1/preferences", 200),
    "what would help": ("planner", "/periods/1/what-would-help", 200),
    "outbox": ("planner", "/outbox", 200),
    "outbox, sent only (none)": ("admin", "/outbox?state=sent", 200),
}


@pytest.fixture(scope="module")
def admin(demo_server) -> None:
    """The demo has no admin: add one (and a colleague whose password he resets)."""
    with unit_of_work(session_factory(make_engine(demo_server.database_url))) as session:
        if session.scalar(select(m.User).filter_by(name="ada")) is None:
            repository.add_user(session, "ada", "admin", password="sunshift-admin")
            repository.add_user(session, "hr-temp", "hr", password="sunshift-hr-temp")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
@pytest.mark.parametrize("page_name", PAGES)
def test_page_has_no_wcag_violation(
    demo_server, admin, chromium, signed_in_page, page_name, viewport
):
    """At laptop and phone width: on a phone, tables scroll sideways in their box, which
    must then take the keyboard focus (axe's scrollable-region-focusable). Signed-in
    pages open with the role's sign-in cookies (``signed_in_page``)."""
    role, path, status = PAGES[page_name]
    if role is None:
        page = open_page(chromium, viewport)
    else:
        page = signed_in_page(demo_server, viewport, *SIGN_INS[role])
    try:
        response = page.goto(demo_server.url(path))
        assert response.status == status
        page.wait_for_load_state("load")
        assert_accessible(page, f"{page_name} ({path}, {role or 'signed out'}, {viewport.name})")
    finally:
        page.context.close()


def test_failed_sign_in_has_no_wcag_violation(demo_server, chromium):
    page = open_page(chromium, LAPTOP)
    try:
        page.goto(demo_server.url("/login"))
        page.get_by_label("User name").fill("planner")
        page.get_by_label("Password").fill("not the password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        expect(page.locator(".flash.error")).to_be_visible()
        assert_accessible(page, "sign-in refused")
    finally:
        page.context.close()


def test_new_password_on_the_users_page_has_no_wcag_violation(demo_server, admin, chromium):
    page = open_page(chromium, LAPTOP)
    try:
        sign_in(page, demo_server.base_url, *SIGN_INS["admin"])
        page.goto(demo_server.url("/admin/users"))
        page.once("dialog", lambda dialog: dialog.accept())
        row = page.locator("tr", has_text="hr-temp")
        with page.expect_navigation():
            row.get_by_role("button", name="Reset password").click()
        expect(page.locator(".notice", has_text="New password for")).to_be_visible()
        assert_accessible(page, "users page with a new password")
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_api_docs_page_has_no_wcag_violation(demo_server, chromium, viewport):
    """Swagger UI, with our colour and naming fixes (static api-docs.css and api-docs.js),
    as it opens and with some operations unfolded (parameters, examples, a delete)."""
    page = open_page(chromium, viewport)
    try:
        page.goto(demo_server.url("/api/v1/docs"))
        page.locator(".swagger-ui .opblock").first.wait_for()
        assert_accessible(page, f"API docs ({viewport.name})")
        operations = page.locator(".opblock-summary-control")
        unfolded = [
            *operations.all()[:3],
            *page.locator(".opblock-delete .opblock-summary-control").all(),
        ]
        for control in unfolded:
            control.click()
        page.locator(".opblock-body .highlight-code").first.wait_for()
        expect(page.locator(".opblock-body")).to_have_count(len(unfolded))
        assert_accessible(page, f"API docs, operations unfolded ({viewport.name})")
    finally:
        page.context.close()


def test_pages_of_a_replaced_roster_have_no_wcag_violation(imported_server, chromium, tmp_path):
    """Publishing a roster's shifts again and comparing two rosters need a roster since
    replaced, so the demo is solved and published twice here (#1 superseded by #2)."""
    sessions = session_factory(make_engine(imported_server.database_url))
    for run in range(2):
        _, published = prepare_demo(sessions, tmp_path / f"roster-{run}", time_limit_seconds=2.0)
        assert published is not None
    page = open_page(chromium, LAPTOP)
    try:
        sign_in(page, imported_server.base_url, *SIGN_INS["planner"])
        response = page.goto(imported_server.url("/rosters/1/revert"))
        assert response.status == 200
        expect(page.locator("#revert-form")).to_be_visible()
        assert_accessible(page, "revert roster #1")
        response = page.goto(imported_server.url("/rosters/2/compare"))
        assert response.status == 200
        assert_accessible(page, "compare roster #2 with #1")
        response = page.goto(imported_server.url("/rosters/1/publish"))
        assert response.status == 200
        # the comparison with published #2 (the two solves may give the same shifts)
        expect(page.locator("#publish-figures")).to_be_visible()
        assert_accessible(page, "publish confirmation of replaced roster #1 against #2")
    finally:
        page.context.close()


def test_outbox_with_a_mail_opened_has_no_wcag_violation(demo_server, chromium):
    """The demo's publish mailed its three agents: one mail unfolded, as a planner reads it."""
    page = open_page(chromium, LAPTOP)
    try:
        sign_in(page, demo_server.base_url, *SIGN_INS["planner"])
        page.goto(demo_server.url("/outbox"))
        page.locator("#outbox-table summary").first.click()
        expect(page.locator("#outbox-table pre.mail-body").first).to_be_visible()
        assert "(UTC" in page.locator("#outbox-table pre.mail-body").first.inner_text()
        assert_accessible(page, "outbox with a mail unfolded")
    finally:
        page.context.close()
