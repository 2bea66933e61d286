"""A planner's insight journey in a real browser, on the demo across the March clock
changes (22 March 2027, 14 days: Europe changes on the 28th, Sydney on 4 April):
he opens the period and reads which hand-offs move in UTC, takes a shift off in a
draft, previews the publish (what changes for whom, coverage before and after),
publishes from the preview, and reads the fairness report of the roster he
published. What the pages show is checked against ``scheduler.handoffs`` and
``scheduler.fairness`` computed here from the demo scenario and the stored roster.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from scheduler.demo import DEMO_PERIOD
from scheduler.fairness import fairness_report
from scheduler.handoffs import format_range, transitions
from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from tests.browser.conftest import DemoServer, _serve
from tests.browser.helpers import assert_accessible, save_screenshot, sign_in
from tests.conftest import copy_demo

pytestmark = pytest.mark.browser

AGENT = "A0029"  # Niamh, Dublin


@pytest.fixture(scope="module")
def insight_server(
    published_demo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    """The demo solved and published, of this module's own (a copy of the session's
    ``published_demo``): the journey publishes."""
    own = copy_demo(published_demo, tmp_path_factory.mktemp("insight-service"))
    yield from _serve(own.url, own.roster_dir)


def test_planner_reads_moving_hand_offs_previews_a_publish_and_reads_fairness(
    insight_server, laptop_page, screenshots_dir
):
    page = laptop_page
    server = insight_server
    sign_in(page, server.base_url, "planner", "sunshift-planner")

    # The period across the clock changes: which hand-offs move, and when.
    page.get_by_role("link", name=DEMO_PERIOD).first.click()
    page.wait_for_url(re.compile(r"/periods/\d+$"))
    expected = transitions(server.scenario)
    cards = page.locator("#handoffs article.handoff")
    assert cards.count() == len(expected) == 2
    europe = cards.nth(0)
    assert europe.locator("h3").inner_text() == "From Sun 28 Mar 2027"
    dublin_early = (
        europe.locator(".handoff-moves tbody tr")
        .filter(has=page.locator("th", has_text="Dublin"))
        .filter(has=page.locator("td", has_text=re.compile(r"^early$")))
    )
    assert dublin_early.locator("td").all_inner_texts() == ["early", "07:00", "07:00", "06:00"]
    for card, transition in zip(cards.all(), expected, strict=True):
        for language in transition.languages:
            row = card.locator(f'.handoff-languages tr[data-language="{language.language}"]')
            assert row.locator("td.hours").inner_text() == ", ".join(
                format_range(*r) for r in language.ranges
            )
    assert "Sydney" in cards.nth(1).locator(".clock-changes").inner_text()
    page.locator("#handoffs h2").evaluate("heading => heading.scrollIntoView()")
    save_screenshot(page, screenshots_dir, "planner-period-handoffs")

    # A change in a draft: Niamh's first shift taken off the published roster.
    page.locator("#handoffs").evaluate("section => section.scrollIntoView()")
    page.get_by_role("link", name="#1").first.click()
    page.wait_for_url(re.compile(r"/rosters/1$"))
    page.goto(server.url(f"/rosters/1/agents/{AGENT}"))
    first = page.locator("#agent-shifts tbody tr").first
    removed_text = " ".join(first.locator("td").nth(i).inner_text() for i in (0, 1))
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        first.get_by_role("button", name="Remove").click()
    expect(page.locator(".flash.success", has_text="Shift removed")).to_be_visible()
    page.locator(".crumbs").get_by_role("link", name=re.compile(r"roster #\d+")).click()
    page.wait_for_url(re.compile(r"/rosters/\d+$"))
    draft_url = page.url

    # Publishing goes through the preview: exactly that change, coverage before and after.
    page.get_by_role("link", name="Review and publish…").click()
    page.wait_for_url(re.compile(r"/rosters/\d+/publish$"))
    rows = page.locator("#publish-agents tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-agent") == AGENT
    change = rows.first.locator("li").inner_text()
    day, shift_id = removed_text.split()[:3], removed_text.split()[-1]
    assert change.startswith(f"{day[0]} {day[1]} {day[2]}: removed {shift_id} ")
    assert re.search(r"UTC[+-]\d\d:\d\d$", change), change
    figures = page.locator("#publish-figures").inner_text()
    assert "Removed\n1" in figures and "Added\n0" in figures and "Moved\n0" in figures
    languages = page.locator("#publish-languages tbody tr")
    assert languages.count() == len(server.scenario.languages)
    assert_accessible(page, "publish confirmation of a draft")
    save_screenshot(page, screenshots_dir, "planner-publish-preview")
    page.get_by_role("button", name="Publish this roster").click()
    page.wait_for_url(draft_url)
    expect(page.locator(".flash.success", has_text="Published").first).to_be_visible()
    version_id = int(draft_url.rsplit("/", 1)[1])

    # Who carries the nights, weekends and holidays in the roster just published.
    page.get_by_role("link", name="Nights, weekends, holidays").click()
    page.wait_for_url(re.compile(rf"/exports/{version_id}/fairness$"))
    with unit_of_work(session_factory(make_engine(server.database_url))) as session:
        period_id = session.scalar(select(m.RosterVersion.period_id).filter_by(id=version_id))
        report = fairness_report(
            load_period_scenario(session, period_id), load_roster(session, version_id)
        )
    japanese = next(g for g in report.by_language if g.key == "ja")
    nights = japanese.spread("night_hours")
    cells = page.locator('#fairness-languages tr[data-language="ja"] td').all_inner_texts()
    assert cells[:4] == [
        str(len(japanese.agent_ids)),
        f"{nights.total:.1f}",
        f"{nights.minimum:.1f}–{nights.maximum:.1f}",
        f"{nights.cv:.2f}" if nights.cv is not None else "—",
    ]
    sites = page.locator('#fairness-language-sites tr[data-language="ja"]')
    assert sites.count() == len([s for s in report.language_sites if s.language == "ja"])
    niamh = page.locator(f'#fairness-agents tr[data-agent="{AGENT}"] td').all_inner_texts()
    load = next(a for a in report.agents if a.agent_id == AGENT)
    assert niamh[-3:] == [
        f"{load.night_hours:.2f}",
        f"{load.weekend_hours:.2f}",
        f"{load.holiday_hours:.2f}",
    ]
    assert_accessible(page, "fairness report")
    save_screenshot(page, screenshots_dir, "planner-fairness")
