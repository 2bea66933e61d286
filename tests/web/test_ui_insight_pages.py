"""Planning insight on the pages: the period page's clock changes (what moves in UTC),
the publish confirmation (what a publish changes, per agent and per language) and the
fairness report with its downloads, on the demo (22 March 2027, 14 days: Europe
changes clocks on 28 March, Australia on 4 April)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import select

from scheduler import services
from scheduler.fairness import fairness_report
from scheduler.handoffs import format_range, transitions
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_roster
from tests.web.conftest import Demo, Served, signed_in_client
from tests.web.page_tools import find_form, flash_messages, form_fields, location, page


def _rows(served: Served, version_id: int, agent: str) -> list[int]:
    with unit_of_work(served.sessions()) as session:
        return list(
            session.scalars(
                select(m.Assignment.id)
                .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
                .where(m.Assignment.roster_version_id == version_id, m.Agent.code == agent)
                .order_by(m.Assignment.start_utc)
            )
        )


# --- clock changes on the period page ------------------------------------------------------


def test_period_page_lists_each_clock_change_and_what_moves(as_user, demo: Demo):
    document = page(as_user("planner").get(f"/periods/{demo.period_id}"))
    expected = transitions(demo.scenario)
    assert len(expected) >= 2  # Europe, then Australia (and Mexico does not change)

    cards = document.find(id="handoffs").find_all("article", cls="handoff")

    assert len(cards) == len(expected)
    sites = demo.scenario.sites_by_id
    for card, transition in zip(cards, expected, strict=True):
        changes = card.find("ul", cls="clock-changes").text
        for change in transition.changes:
            assert change.site_name in changes
        moved = {
            tuple(td.text for td in row.find_all("td"))[:1] + (row.find("th").text,)
            for row in card.find("table", cls="handoff-moves").find("tbody").find_all("tr")
        }
        assert moved == {(m.shift_id, sites[m.site_id].name) for m in transition.moves}
        languages = {
            row.get("data-language"): row.find("td", cls="hours").text
            for row in card.find("table", cls="handoff-languages").find("tbody").find_all("tr")
        }
        assert languages == {
            lang.language: ", ".join(format_range(*r) for r in lang.ranges)
            for lang in transition.languages
        }


def test_dublin_shifts_start_an_hour_earlier_in_utc_from_28_march(as_user, demo: Demo):
    """Dublin's 07:00 early shift: 07:00 UTC on GMT, 06:00 UTC on IST (by hand)."""
    document = page(as_user("planner").get(f"/periods/{demo.period_id}"))
    europe = next(
        card
        for card in document.find(id="handoffs").find_all("article", cls="handoff")
        if "Dublin" in card.find("ul", cls="clock-changes").text
    )
    assert "From Sun 28 Mar 2027" in europe.find("h3").text
    dublin = {
        row.find_all("td")[0].text: [td.text for td in row.find_all("td")]
        for row in europe.find("table", cls="handoff-moves").find("tbody").find_all("tr")
        if row.find("th").text == "Dublin"
    }
    assert dublin["early"] == ["early", "07:00", "07:00", "06:00"]
    assert "UTC+00:00 → UTC+01:00" in europe.find("ul", cls="clock-changes").text


# --- the publish confirmation --------------------------------------------------------------


@pytest.fixture
def hand_edit(fresh_demo: Served, demo: Demo):
    """A draft of the published roster with, by hand: A0029's first shift taken off and
    a shift given to him on a date he had free (which his freed hours allow), and one
    shift of another agent moved to other hours on its date.
    (served, draft, removed, added, (was, now))."""
    sessions = fresh_demo.sessions()
    removed = demo.shifts_of("A0029")[0]
    draft = services.remove_assignment(
        sessions, _rows(fresh_demo, demo.published_id, "A0029")[0], None
    ).version_id
    added = _add_one(fresh_demo, draft, "A0029", removed.date, demo)
    others = sorted({a.agent_id for a in demo.published.assignments} - {"A0029"})
    moved = _move_one(fresh_demo, draft, others, demo)
    return fresh_demo, draft, removed, added, moved


def _move_one(served: Served, draft: int, candidates: list[str], demo: Demo):
    sessions = served.sessions()
    for agent_id in candidates:
        for index, was in enumerate(demo.shifts_of(agent_id)):
            for other in demo.scenario.agent(agent_id).shift_ids:
                if other == was.shift_id:
                    continue
                services.remove_assignment(sessions, _rows(served, draft, agent_id)[index], None)
                try:
                    services.add_assignment(sessions, draft, agent_id, was.date, other, None)
                except services.InvalidInput:
                    services.add_assignment(sessions, draft, agent_id, was.date, was.shift_id, None)
                    continue
                with unit_of_work(sessions) as session:
                    now = next(
                        a
                        for a in load_roster(session, draft).assignments
                        if a.agent_id == agent_id and a.date == was.date
                    )
                return was, now
    pytest.fail("no shift of the demo could move to other hours on its date")


def _add_one(served: Served, draft: int, agent_id: str, freed: date, demo: Demo):
    """A shift for ``agent_id`` on a date he does not work (not ``freed``)."""
    sessions = served.sessions()
    worked = {a.date for a in demo.shifts_of(agent_id)} | {freed}
    for day in demo.scenario.horizon.dates:
        if day in worked:
            continue
        for shift_id in demo.scenario.agent(agent_id).shift_ids:
            try:
                services.add_assignment(sessions, draft, agent_id, day, shift_id, None)
            except services.InvalidInput:
                continue
            with unit_of_work(sessions) as session:
                return next(
                    a
                    for a in load_roster(session, draft).assignments
                    if a.agent_id == agent_id and a.date == day
                )
    pytest.fail(f"{agent_id} could take no shift on another date")


def _local(shift) -> str:
    start, end = shift.start_local, shift.end_local
    offset = start.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    day_after = " (+1 day)" if end.date() > start.date() else ""
    return f"{shift.shift_id} {start:%H:%M}–{end:%H:%M}{day_after} {text}"


def test_publish_button_leads_to_a_preview_listing_exactly_the_edit(hand_edit, demo: Demo):
    served, draft, removed, added, (was, now) = hand_edit
    client = signed_in_client(served.app, "planner")
    roster_page = page(client.get(f"/rosters/{draft}"))
    assert roster_page.find_all(id="publish-form") == []  # no publishing without the preview
    preview_path = roster_page.find("a", id="publish-link").get("href")
    assert preview_path == f"/rosters/{draft}/publish"

    document = page(client.get(preview_path))

    assert "replaces published roster" in document.find("p", cls="lede").text
    figures = {
        div.find("dt").text: div.find("dd").text
        for div in document.find(id="publish-figures").find_all("div")
    }
    assert (figures["Added"], figures["Removed"], figures["Moved"]) == ("1", "1", "1")
    assert figures["Agents affected"] == "2"
    assert figures["Shifts kept"] == str(len(demo.published.assignments) - 2)
    rows = {
        row.get("data-agent"): [li.text for li in row.find_all("li")]
        for row in document.find(id="publish-agents").find("tbody").find_all("tr")
    }
    assert rows == {
        "A0029": [  # in date order
            line
            for _, line in sorted(
                [
                    (removed.date, f"{removed.date:%a %d %b}: removed {_local(removed)}"),
                    (added.date, f"{added.date:%a %d %b}: added {_local(added)}"),
                ]
            )
        ],
        was.agent_id: [f"{was.date:%a %d %b}: moved {_local(was)} → {_local(now)}"],
    }


def test_preview_gives_each_languages_coverage_before_and_after(hand_edit, demo: Demo):
    served, draft, *_ = hand_edit
    client = signed_in_client(served.app, "planner")
    with unit_of_work(served.sessions()) as session:
        rosters = [load_roster(session, demo.published_id), load_roster(session, draft)]
    expected = {}
    for language in demo.scenario.languages:
        sides = []
        for roster in rosters:
            rows = [r for r in roster.coverage if r.language == language]
            required = sum(r.required for r in rows)
            covered = sum(min(r.required, r.staffed) for r in rows)
            sides.append((f"{100 * covered / required:.1f}%", required - covered))
        expected[language] = [
            sides[0][0],
            sides[1][0],
            str(sides[0][1]),
            str(sides[1][1]),
        ]

    table = page(client.get(f"/rosters/{draft}/publish")).find(id="publish-languages")
    shown = {
        row.get("data-language"): [td.text for td in row.find_all("td")][:4]
        for row in table.find("tbody").find_all("tr")
    }
    assert shown == expected


def test_publishing_from_the_preview_publishes_the_draft(hand_edit, demo: Demo):
    served, draft, *_ = hand_edit
    client = signed_in_client(served.app, "planner")
    preview_path = f"/rosters/{draft}/publish"
    fields = form_fields(find_form(page(client.get(preview_path)), preview_path))

    answer = client.post(preview_path, data=fields)

    assert location(answer) == f"/rosters/{draft}"
    assert any(
        category == "success" for category, _ in flash_messages(client.get(location(answer)))
    )
    with unit_of_work(served.sessions()) as session:
        assert session.get(m.RosterVersion, draft).state == "published"
    after = page(client.get(preview_path))
    assert after.find_all(id="publish-form") == []
    assert after.find(id="not-a-draft") is not None
    assert after.find_all(id="first-publish") == []  # it is the published roster itself


def test_first_publish_says_what_agents_will_see(fresh_demo: Served, demo: Demo):
    """With no published roster the preview has nothing to compare: it counts shifts."""
    with unit_of_work(fresh_demo.sessions()) as session:
        session.get(m.RosterVersion, demo.published_id).state = "superseded"
    client = signed_in_client(fresh_demo.app, "planner")
    document = page(client.get(f"/rosters/{demo.draft_id}/publish"))
    assert document.find(id="first-publish").text == (
        f"No roster of this period is published yet: publishing shows "
        f"{len(demo.draft.assignments)} shifts to "
        f"{len({a.agent_id for a in demo.draft.assignments})} agents at once."
    )
    assert document.find(id="publish-form") is not None


@pytest.mark.parametrize("user", ["hr", "a0029"])
def test_only_planners_preview_a_publish(app: Flask, demo: Demo, signed_in, user):
    assert signed_in(app, user).get(f"/rosters/{demo.draft_id}/publish").status_code == 403


# --- the fairness report -------------------------------------------------------------------


def test_fairness_page_shows_the_published_rosters_figures(as_user, demo: Demo):
    report = fairness_report(demo.scenario, demo.published)
    document = page(as_user("hr").get(f"/exports/{demo.published_id}/fairness"))

    languages = {
        row.get("data-language"): [td.text for td in row.find_all("td")]
        for row in document.find(id="fairness-languages").find("tbody").find_all("tr")
    }
    assert set(languages) == {g.key for g in report.by_language}
    for group in report.by_language:
        night = group.spread("night_hours")
        cells = languages[group.key]
        assert cells[0] == str(len(group.agent_ids))
        assert cells[1:4] == [
            f"{night.total:.1f}",
            f"{night.minimum:.1f}–{night.maximum:.1f}",
            f"{night.cv:.2f}" if night.cv is not None else "—",
        ]
    agents = {
        row.get("data-agent"): [td.text for td in row.find_all("td")]
        for row in document.find(id="fairness-agents").find("tbody").find_all("tr")
    }
    assert len(agents) == len(demo.scenario.agents)
    for load in report.agents:
        assert agents[load.agent_id][-3:] == [
            f"{load.night_hours:.2f}",
            f"{load.weekend_hours:.2f}",
            f"{load.holiday_hours:.2f}",
        ]


def test_fairness_page_filters_agents_by_site_and_language(as_user, demo: Demo):
    document = page(
        as_user("planner").get(f"/exports/{demo.published_id}/fairness?site=dub&language=ja")
    )
    shown = {
        row.get("data-agent")
        for row in document.find(id="fairness-agents").find("tbody").find_all("tr")
    }
    assert shown == {
        a.id for a in demo.scenario.agents if a.site_id == "dub" and "ja" in a.languages
    }


def test_fairness_downloads_hold_every_agent(as_user, demo: Demo):
    client = as_user("hr")
    answer = client.get(f"/exports/{demo.published_id}/fairness.csv")
    assert answer.status_code == 200
    assert "fairness.csv" in answer.headers["Content-Disposition"]
    text = answer.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r["agent_id"] for r in rows} == {a.id for a in demo.scenario.agents}
    groups = client.get(f"/exports/{demo.published_id}/fairness-groups.csv")
    assert groups.status_code == 200 and b"night_hours" in groups.data
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/exports/{demo.published_id}/fairness.xlsx").data)
    )
    assert book.sheetnames == ["Agents", "By site", "By language", "Language by site"]
    assert book["Agents"].max_row == len(demo.scenario.agents) + 1


def test_hr_reads_no_draft_and_agents_no_report(as_user, demo: Demo):
    assert as_user("hr").get(f"/exports/{demo.draft_id}/fairness").status_code == 403
    assert as_user("planner").get(f"/exports/{demo.draft_id}/fairness").status_code == 200
    for path in ("fairness", "fairness.csv", "fairness.xlsx"):
        answer = as_user("a0029").get(f"/exports/{demo.published_id}/{path}")
        assert answer.status_code == 403, path
