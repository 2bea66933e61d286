"""Shift swaps in a real browser, on the spec example's published roster (June 2027):

- two Dublin agents swap shifts: A0000 offers his Tuesday early shift to A0009 for her
  Saturday afternoon one, she accepts on her phone, and the published roster (the
  planner's grid, both agents' own pages) shows the swap;
- a swap that would break the rest rule (Manila: A0008 would start five hours after her
  night shift ended) is refused with the rule named, and nothing is stored;
- a swap that loses German cover waits for the planner, who sees why and approves it.

What the pages show is compared with the roster the database holds afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from scheduler.roster_io import read_roster_folder
from scheduler.services import import_folder, publish
from scheduler.storage import repository, roster_mapper
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.migrate import upgrade_database
from scheduler.storage.models_swaps import ShiftSwap
from scheduler.storage.scenario_store import save_roster
from tests.browser.conftest import DemoServer, _serve
from tests.browser.helpers import (
    LAPTOP,
    PHONE,
    assert_accessible,
    open_page,
    save_screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

PASSWORD = "sunshift-agent"
PLANNER = ("pia", "sunshift-planner")
AGENTS = ("A0000", "A0005", "A0009", "A0010")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spec_example"


@pytest.fixture(scope="module")
def swap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The spec example imported (period 1) with its baseline roster published, a
    planner and a sign-in for four of its agents."""
    folder = tmp_path_factory.mktemp("swap-service")
    url = f"sqlite:///{folder / 'sunshift.db'}"
    upgrade_database(url)
    sessions = session_factory(make_engine(url))
    period_id = import_folder(sessions, FIXTURES / "scenario", None, period_name="June 2027")
    roster, errors = read_roster_folder(FIXTURES / "roster")
    assert not errors
    with unit_of_work(sessions) as session:
        version = save_roster(session, period_id, roster)
        session.flush()
        version_id, counter = version.id, version.version_id
        repository.add_user(session, PLANNER[0], "planner", password=PLANNER[1])
        for code in AGENTS:
            repository.add_user(session, code.lower(), "agent", password=PASSWORD, agent_code=code)
    publish(sessions, version_id, None, counter)
    yield from _serve(url, folder / "roster")


def _published(server: DemoServer) -> tuple[int, set[tuple[str, date, str]]]:
    sessions = session_factory(make_engine(server.database_url))
    with unit_of_work(sessions) as session:
        version = repository.published_version(session, 1)
        shifts = roster_mapper.to_domain(session, version.id).assignments
        return version.id, {(a.agent_id, a.date, a.shift_id) for a in shifts}


def _swaps(server: DemoServer) -> list[tuple[int, str]]:
    sessions = session_factory(make_engine(server.database_url))
    with unit_of_work(sessions) as session:
        return list(session.execute(select(ShiftSwap.id, ShiftSwap.state)).all())


def _offer(page, server: DemoServer, shift: str, colleague: str, her_date: str = "") -> None:
    page.goto(server.url("/me/swaps"))
    page.get_by_label("Your shift").select_option(label=shift)
    page.locator("select#colleague").select_option(value=colleague)
    if her_date:
        page.get_by_label("Colleague's shift on").fill(her_date)
    with page.expect_navigation():
        page.get_by_role("button", name="Offer the swap").click()


def test_two_agents_swap_shifts_and_the_published_roster_shows_the_swap(
    swap_server, chromium, screenshots_dir
):
    before_id, before = _published(swap_server)
    assert ("A0000", date(2027, 6, 8), "s0") in before
    offerer = open_page(chromium, LAPTOP)
    sign_in(offerer, swap_server.base_url, "a0000", PASSWORD)
    _offer(offerer, swap_server, "2027-06-08 s0 07:00-16:00 (UTC+01:00)", "A0009", "2027-06-12")
    expect(offerer.locator(".flash.success", has_text="offered to Agent 0009")).to_be_visible()
    pending = offerer.locator("#my-offers li.swap").first
    assert "pending" in pending.inner_text()
    assert "2027-06-12 s3 14:00-23:00 (UTC+01:00)" in pending.inner_text()
    assert_accessible(offerer, "my swaps with an offer pending")

    colleague = open_page(chromium, PHONE)
    sign_in(colleague, swap_server.base_url, "a0009", PASSWORD)
    colleague.get_by_role("link", name="My swaps").click()
    offered = colleague.locator("#offered-to-me li.swap").first
    assert "Agent 0000 (A0000) gives 2027-06-08 s0 07:00-16:00 (UTC+01:00)" in offered.inner_text()
    save_screenshot(colleague, screenshots_dir, "agent-swap-offered-phone")
    colleague.get_by_role("button", name="Accept swap #").click()

    expect(colleague.locator(".flash.success", has_text="approved and published")).to_be_visible()
    after_id, after = _published(swap_server)
    assert after_id != before_id
    assert after ^ before == {
        ("A0000", date(2027, 6, 8), "s0"),
        ("A0009", date(2027, 6, 8), "s0"),
        ("A0009", date(2027, 6, 12), "s3"),
        ("A0000", date(2027, 6, 12), "s3"),
    }
    # her own page lists the Tuesday shift she took, and not the Saturday she gave
    colleague.goto(swap_server.url("/me"))
    days = colleague.locator("li[data-date='2027-06-08']").inner_text()
    assert "07:00–16:00" in days
    assert "Day off" in colleague.locator("li[data-date='2027-06-12']").inner_text()
    # the planner's grid of the new published roster shows the swap too
    planner = open_page(chromium, LAPTOP)
    sign_in(planner, swap_server.base_url, *PLANNER)
    planner.goto(swap_server.url(f"/rosters/{after_id}/agents/A0009"))
    listed = planner.locator("#agent-shifts tbody").inner_text()
    assert "Tue 08 Jun 2027" in listed and "Sat 12 Jun 2027" not in listed
    for page in (offerer, colleague, planner):
        page.context.close()


def test_a_swap_that_would_break_the_rest_rule_is_refused_with_the_rule_named(
    swap_server, chromium
):
    before = _swaps(swap_server)
    page = open_page(chromium, PHONE)
    sign_in(page, swap_server.base_url, "a0005", PASSWORD)
    _offer(page, swap_server, "2027-06-09 s0 06:00-15:00 (UTC+08:00)", "A0008", "2027-06-13")

    expect(page.locator(".flash.error").first).to_be_visible()
    refusal = page.locator(".flash.error").all_inner_texts()
    text = "\n".join(refusal)
    assert "Not offered: refused: the swap breaks min_rest" in text
    assert "rest between shifts" in text and "site rule needs 11 h" in text
    assert "(min_rest)" in text
    assert _swaps(swap_server) == before
    assert_accessible(page, "my swaps with a refusal")
    page.context.close()


def test_a_swap_losing_cover_waits_for_the_planner_who_sees_why_and_approves(swap_server, chromium):
    agent = open_page(chromium, LAPTOP)
    sign_in(agent, swap_server.base_url, "a0000", PASSWORD)
    _offer(agent, swap_server, "2027-06-10 s0 07:00-16:00 (UTC+01:00)", "A0010")
    colleague = open_page(chromium, LAPTOP)
    sign_in(colleague, swap_server.base_url, "a0010", PASSWORD)
    colleague.goto(swap_server.url("/me/swaps"))
    colleague.get_by_role("button", name="Accept swap #").click()
    expect(colleague.locator(".flash.success")).to_contain_text(
        "awaits a planner: coverage: de loses 2 agent-intervals on 2027-06-10 (UTC)"
    )

    planner = open_page(chromium, LAPTOP)
    sign_in(planner, swap_server.base_url, *PLANNER)
    planner.goto(swap_server.url("/periods/1"))
    with planner.expect_navigation():
        planner.get_by_role("link", name="Shift swaps").click()
    queue = planner.locator("#awaiting")
    assert "coverage: de loses 2 agent-intervals" in queue.inner_text()
    assert_accessible(planner, "the period's swaps with one awaiting")
    planner.get_by_role("button", name="Approve and publish swap #").click()
    expect(planner.locator(".flash.success", has_text="approved and published")).to_be_visible()
    _, after = _published(swap_server)
    assert ("A0010", date(2027, 6, 10), "s0") in after
    for page in (agent, colleague, planner):
        page.context.close()
