"""Planner pages: scenario upload, solving, the roster page (heatmap, gaps, service
levels), publishing, the grid and its filters, and edits to a roster.

Tests that import, publish or edit run on a copy of the demo of their own
(``fresh_demo``); the others read the shared demo.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from config.settings import DEMO_SCENARIO_DIR
from scheduler import services
from scheduler.requirements import compute_requirements
from scheduler.storage import models as m
from scheduler.storage.db import session_factory, unit_of_work
from scheduler.storage.scenario_store import load_roster
from tests.web.conftest import Demo, Served, signed_in_client
from tests.web.page_tools import (
    Node,
    find_form,
    flash_messages,
    form_fields,
    location,
    page,
    submit,
)
from web.summary import weekly_reachable_hours
from web.ui import heatmap

UPLOADED = ("scenario.toml", "agents.csv", "forecast.csv", "time_off.csv")


def scenario_files(**replaced: bytes) -> dict[str, bytes]:
    files = {name: (Path(DEMO_SCENARIO_DIR) / name).read_bytes() for name in UPLOADED}
    files.update({name.replace("_", "."): content for name, content in replaced.items()})
    return files


def upload(client, files: dict[str, bytes], name: str = ""):
    """Choose several files in the upload form and send them (multipart, field 'files')."""
    opened = client.get("/periods")
    fields = form_fields(find_form(page(opened), "/periods"))
    fields["name"] = name
    fields["files"] = [(io.BytesIO(content), file_name) for file_name, content in files.items()]
    return client.post("/periods", data=fields, content_type="multipart/form-data")


def edited_csv(path: Path, changes: dict[tuple[int, str], str]) -> bytes:
    """``path`` with the cell at (file line, column) replaced; line 1 is the header."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for (line, column), value in changes.items():
        rows[line - 2][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def count(served: Served, model, **where) -> int:
    with unit_of_work(served.sessions()) as session:
        return session.scalar(select(func.count()).select_from(model).filter_by(**where))


def version_states(served: Served) -> dict[int, tuple[str, int | None]]:
    with unit_of_work(served.sessions()) as session:
        return {v.id: (v.state, v.parent_id) for v in session.scalars(select(m.RosterVersion))}


def stored_roster(served: Served, version_id: int) -> tuple[tuple, frozenset]:
    """(assignments, locked keys) of a stored version."""
    with unit_of_work(served.sessions()) as session:
        roster = load_roster(session, version_id)
        locked = session.execute(
            select(m.Agent.code, m.Assignment.local_date, m.Assignment.shift_code)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == version_id, m.Assignment.locked.is_(True))
        ).all()
    return roster.assignments, frozenset(tuple(row) for row in locked)


# --- upload -------------------------------------------------------------------------------


def test_a_broken_upload_lists_every_error_and_imports_nothing(fresh_demo: Served):
    client = signed_in_client(fresh_demo.app, "planner")
    agents = edited_csv(
        Path(DEMO_SCENARIO_DIR) / "agents.csv",
        {(3, "hours_per_week"): "many", (5, "site"): "atlantis"},
    )
    forecast = edited_csv(Path(DEMO_SCENARIO_DIR) / "forecast.csv", {(4, "volume"): "-3"})
    periods_before = count(fresh_demo, m.PlanningPeriod)

    answer = upload(client, scenario_files(agents_csv=agents, forecast_csv=forecast), "Broken")

    assert answer.status_code == 422
    table = page(answer).find(id="import-errors")
    rows = [[cell.text for cell in row.find_all("td")] for row in table.find_all("tr")]
    listed = {(row[0], row[1], row[2]) for row in rows if row}
    assert listed == {
        ("agents.csv", "3", "hours_per_week"),
        ("agents.csv", "5", "site"),
        ("forecast.csv", "4", "volume"),
    }
    by_field = {row[2]: row for row in rows if row}
    assert by_field["hours_per_week"][3] == "'many'"
    assert "atlantis" in by_field["site"][5]
    assert "nothing was imported" in table.find("caption").text
    assert count(fresh_demo, m.PlanningPeriod) == periods_before


def test_an_upload_of_a_file_that_is_no_scenario_file_is_refused(fresh_demo: Served):
    client = signed_in_client(fresh_demo.app, "planner")
    files = scenario_files() | {"notes.txt": b"hello"}
    answer = upload(client, files, "With notes")
    assert answer.status_code == 422
    rows = page(answer).find(id="import-errors").find_all("tr")
    assert any("notes.txt" in row.text for row in rows)
    assert count(fresh_demo, m.PlanningPeriod) == 1


def test_an_upload_over_the_size_limit_names_the_file_and_the_limit(
    fresh_demo: Served, monkeypatch: pytest.MonkeyPatch
):
    from config import settings

    client = signed_in_client(fresh_demo.app, "planner")
    files = scenario_files()
    monkeypatch.setattr(settings, "MAX_UPLOAD_BYTES", len(files["forecast.csv"]) - 1)

    answer = upload(client, files, "Too big")

    assert answer.status_code == 422
    rows = page(answer).find(id="import-errors").find_all("tr")
    assert any(
        "forecast.csv" in row.text and "SUNSHIFT_MAX_UPLOAD_BYTES" in row.text for row in rows
    )
    assert count(fresh_demo, m.PlanningPeriod) == 1


def test_an_upload_without_files_says_what_is_missing(fresh_demo: Served):
    """Sent without files (or by a browser that ignores ``required``): the planner must
    be told why nothing happened, not shown the same form again in silence."""
    client = signed_in_client(fresh_demo.app, "planner")
    answer = upload(client, {}, "Nothing chosen")
    assert answer.status_code in (400, 422)
    errors = [text for category, text in flash_messages(answer) if category == "error"]
    assert errors, "no message says what was wrong"
    assert any("file" in text.lower() for text in errors), errors
    assert count(fresh_demo, m.PlanningPeriod) == 1


def test_a_good_upload_creates_a_period_and_opens_it(fresh_demo: Served):
    client = signed_in_client(fresh_demo.app, "planner")
    answer = upload(client, scenario_files(), "Support April")
    assert answer.status_code == 302
    with unit_of_work(fresh_demo.sessions()) as session:
        period = session.scalar(select(m.PlanningPeriod).filter_by(name="Support April"))
        assert period is not None
        agents = session.scalar(
            select(func.count()).select_from(m.Agent).filter_by(period_id=period.id)
        )
    assert location(answer) == f"/periods/{period.id}"
    assert agents == 100
    opened = client.get(location(answer))
    assert "Support April" in page(opened).find("h1").text
    expected = f"Imported {len(UPLOADED)} files into 'Support April'. Next: solve it below."
    assert ("success", expected) in flash_messages(opened)


# --- solving -------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "86401", "-5", "soon", ""])
def test_an_out_of_range_time_limit_is_refused(app: Flask, demo: Demo, limit: str):
    """Refused before any job is queued (so nothing changes on the shared demo)."""
    client = signed_in_client(app, "planner")
    period_page = f"/periods/{demo.period_id}"
    jobs_before = _jobs(app)
    answer = submit(
        client, period_page, f"{period_page}/solve", {"time_limit_seconds": limit, "seed": "0"}
    )
    assert answer.status_code == 302
    assert location(answer) == period_page
    shown = flash_messages(client.get(period_page))
    assert [category for category, _ in shown] == ["error"]
    assert "Time limit" in shown[0][1]
    assert _jobs(app) == jobs_before


def _jobs(app: Flask) -> int:
    with app.extensions["sunshift.engine"].connect() as connection:
        return connection.scalar(select(func.count()).select_from(m.SolveJob))


def test_job_progress_reports_state_progress_and_covered_share(as_user, demo: Demo):
    answer = as_user("planner").get(f"/jobs/{demo.job_id}/progress")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    found = json.loads(answer.data)
    assert found["state"] == "succeeded"
    assert found["finished"] is True
    assert found["roster_url"] == f"/rosters/{demo.published_id}"
    progress = found["progress"]
    assert {"elapsed_seconds", "shortfall", "bound", "phase"} <= set(progress)
    required = compute_requirements(demo.scenario).total()
    assert found["required_total"] == required
    assert progress["shortfall"] == demo.published.summary["shortfall"]
    assert found["covered_share"] == pytest.approx(1 - progress["shortfall"] / required)
    assert 0 < found["covered_share"] <= 1


def test_job_page_shows_the_job_and_links_the_roster(as_user, demo: Demo):
    document = page(as_user("planner").get(f"/jobs/{demo.job_id}"))
    assert document.find(id="job-state").text == "succeeded"
    assert document.find(id="job-roster-link").get("href") == f"/rosters/{demo.published_id}"
    assert not document.find_all(id="job-cancel"), "a finished job offers to cancel"


# --- the roster page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def roster_page(app: Flask, demo: Demo, signed_in) -> Node:
    answer = signed_in(app, "planner").get(f"/rosters/{demo.published_id}?language=en")
    assert answer.status_code == 200
    return page(answer)


def _day_headers(document: Node) -> dict[str, Node]:
    heads = document.find(id="heatmap-overview").find("thead").find_all("th", cls="day")
    return {" ".join(head.text.split()[:2]): head for head in heads}


def _kinds(node: Node, marker_class: str) -> set[str]:
    """The kinds (dst, holiday) of the markers inside ``node``."""
    return {kind for n in node.find_all(cls=marker_class) for kind in n.classes - {marker_class}}


def test_heatmap_marks_the_clock_changes_and_holidays(roster_page: Node, demo: Demo):
    heads = _day_headers(roster_page)
    assert len(heads) == demo.scenario.horizon.days
    marks = {day: _kinds(head, "mark") for day, head in heads.items()}
    assert marks["Sun 28"] == {"dst", "holiday"}  # EU clocks at 01:00 UTC; Easter Sunday
    assert marks["Sat 03"] == {"dst"}  # Sydney falls back at 16:00 UTC (3:00 local on 4 Apr)
    assert marks["Mon 29"] == {"holiday"}  # Easter Monday
    assert marks["Tue 23"] == set()
    assert "Dublin: clocks change +00:00 → +01:00 at 01:00 UTC" in heads["Sun 28"].get("title")
    assert "Dublin: Easter Monday" in heads["Mon 29"].get("title")


def test_heatmap_overview_cells_follow_the_coverage(roster_page: Node, demo: Demo):
    expected = heatmap.overview(demo.scenario, demo.published)
    body = roster_page.find(id="heatmap-overview").find("tbody")
    rows = {row.find("th").text: row.find_all("td") for row in body.find_all("tr")}
    assert list(rows) == list(expected.languages)
    for language, cells in zip(expected.languages, expected.rows, strict=True):
        shown = [next(iter(td.classes - {"hm"})) for td in rows[language]]
        assert shown == [cell.level for cell in cells], language


def test_heatmap_detail_marks_the_interval_of_the_clock_change(roster_page: Node, demo: Demo):
    detail = roster_page.find(id="heatmap-detail")
    assert detail.get("data-language") == "en"
    rows = detail.find("tbody").find_all("tr")
    assert len(rows) == demo.scenario.horizon.days
    day_28 = demo.scenario.horizon.dates.index(date(2027, 3, 28))
    cells = rows[day_28].find_all("td", cls="hm")
    assert len(cells) == 48
    assert [i for i, cell in enumerate(cells) if "dst" in cell.classes] == [2]  # 01:00 UTC
    events = rows[day_28].find("td", cls="events")
    assert _kinds(events, "marker") == {"dst", "holiday"}
    assert "Dublin" in events.text and "Easter Sunday" in events.text
    other = rows[1].find_all("td", cls="hm")
    assert not [cell for cell in other if "dst" in cell.classes]


def test_heatmap_detail_says_every_cell_and_column_in_words(roster_page: Node, demo: Demo):
    expected = heatmap.detail(demo.scenario, demo.published, "en")
    detail = roster_page.find(id="heatmap-detail")
    assert detail.find("caption").text.startswith("en: agents staffed of those required")
    headers = [th.text for th in detail.find("thead").find_all("th")]
    assert headers == ["UTC day", *expected.column_labels, "Events"]
    rows = detail.find("tbody").find_all("tr")
    for row, day in zip(rows, expected.rows, strict=True):
        assert row.find("th").text == f"{day.day:%a %d %b}"
        said = [cell.text for cell in row.find_all("td", cls="hm")]
        assert said == [
            cell.text + ("; clocks change" if slot in day.dst_columns else "")
            for slot, cell in enumerate(day.cells)
        ]
    assert any("short" in cell.text for day in expected.rows for cell in day.cells)


def _sessions(app: Flask):
    return session_factory(app.extensions["sunshift.engine"])


def test_projected_service_level_chips_per_language(roster_page: Node, demo: Demo):
    expected = heatmap.projected_service_levels(demo.scenario, demo.published)
    table = roster_page.find(id="language-table")
    chips = {
        row.find("code").text: [chip.text for chip in row.find_all("span", cls="chip")]
        for row in table.find("tbody").find_all("tr")
    }
    assert expected, "the demo has a forecast: service levels must be projected"
    for language, levels in expected.items():  # the target next to each level, in words
        assert chips[language] == [
            f"{sl.channel} {sl.percent}% "
            f"{'below target' if sl.achieved + 1e-9 < sl.target else 'target'} "
            f"{100 * sl.target:.0f}% {sl.promise}"
            for sl in levels
        ]
        for sl in levels:  # a level shown as the target is never coloured as a miss
            assert not (sl.percent >= round(100 * sl.target) and sl.below), sl
    below = {
        row.find("code").text: ["below" in c.classes for c in row.find_all("span", cls="chip")]
        for row in table.find("tbody").find_all("tr")
    }
    for language, levels in expected.items():
        assert below[language] == [sl.achieved + 1e-9 < sl.target for sl in levels]


# --- grid ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "language", "text"),
    [("dub", "fr", ""), ("dub", "", ""), ("", "ja", ""), ("syd", "de", ""), ("", "", "walsh")],
)
def test_grid_lists_only_the_matching_agents(
    as_user, demo: Demo, site: str, language: str, text: str
):
    answer = as_user("planner").get(
        f"/rosters/{demo.published_id}/grid",
        query_string={"site": site, "language": language, "q": text},
    )
    listed = [row.get("data-agent") for row in page(answer).find(id="roster-grid").find_all("tr")]
    expected = [
        a.id
        for a in demo.scenario.agents
        if (not site or a.site_id == site)
        and (not language or language in a.languages)
        and (not text or text in a.name.casefold() or text in a.id.casefold())
    ]
    assert 0 < len(expected) <= 40
    assert [code for code in listed if code] == expected


def test_grid_shows_each_shift_in_local_time(as_user, demo: Demo):
    answer = as_user("planner").get(
        f"/rosters/{demo.published_id}/grid", query_string={"q": "A0029"}
    )
    row = page(answer).find("tr", data_agent="A0029")
    cells = row.find_all("td")[:-1]
    assert len(cells) == demo.scenario.horizon.days
    by_day = {a.date: a for a in demo.shifts_of("A0029")}
    for day, cell in zip(demo.scenario.horizon.dates, cells, strict=True):
        shift = by_day.get(day)
        if shift is None:
            assert not cell.find_all(cls="shift"), day
        else:
            label = cell.find(cls="shift")
            assert label.text.startswith(f"{shift.start_local:%H:%M}–{shift.end_local:%H:%M}")


def test_grid_names_each_public_holiday_in_its_cell(as_user, demo: Demo):
    answer = as_user("planner").get(
        f"/rosters/{demo.published_id}/grid", query_string={"q": "A0029"}
    )
    cells = page(answer).find("tr", data_agent="A0029").find_all("td")[:-1]
    named = {
        day: cell.find(cls="holiday-name").text
        for day, cell in zip(demo.scenario.horizon.dates, cells, strict=True)
        if "holiday" in cell.classes
    }
    assert named == {date(2027, 3, 29): "★ Public holiday: Easter Monday"}  # Dublin


# --- publishing ----------------------------------------------------------------------------


def _publish_fields(client, roster_path: str) -> dict:
    """The publish confirmation's form fields (the roster page's button leads there)."""
    return form_fields(
        find_form(page(client.get(f"{roster_path}/publish")), f"{roster_path}/publish")
    )


def test_a_draft_is_published_from_its_page(fresh_demo: Served, demo: Demo):
    client = signed_in_client(fresh_demo.app, "planner")
    roster_path = f"/rosters/{demo.draft_id}"
    form = find_form(page(client.get(f"{roster_path}/publish")), f"{roster_path}/publish")
    with unit_of_work(fresh_demo.sessions()) as session:
        counter = session.get(m.RosterVersion, demo.draft_id).version_id
    assert form_fields(form)["expected_version"] == str(counter)

    answer = submit(client, f"{roster_path}/publish", f"{roster_path}/publish")

    assert location(answer) == roster_path
    states = version_states(fresh_demo)
    assert states[demo.draft_id][0] == "published"
    assert states[demo.published_id][0] == "superseded"
    shown = client.get(roster_path)
    assert any(
        category == "success" and "roster #1 is now superseded" in text
        for category, text in flash_messages(shown)
    )
    assert not page(shown).find_all(id="publish-form")
    hr = signed_in_client(fresh_demo.app, "hr")
    listed = {row.get("data-version") for row in page(hr.get("/exports")).find_all("tr")}
    assert str(demo.draft_id) in listed


def test_a_stale_publish_form_is_refused_with_a_message(fresh_demo: Served, demo: Demo):
    client = signed_in_client(fresh_demo.app, "planner")
    roster_path = f"/rosters/{demo.draft_id}"
    stale = _publish_fields(client, roster_path)
    # meanwhile a colleague unlocks the shift that made the draft (the draft changes)
    colleague = signed_in_client(fresh_demo.app, "planner")
    edit_page = f"/rosters/{demo.draft_id}/agents/A0050"
    unlock = next(
        f.get("action")
        for f in page(colleague.get(edit_page)).find_all("form")
        if (f.get("action") or "").endswith("/unlock")
    )
    assert submit(colleague, edit_page, unlock).status_code == 302
    before = version_states(fresh_demo)

    answer = client.post(f"{roster_path}/publish", data=stale)

    assert location(answer) == roster_path
    shown = flash_messages(client.get(roster_path))
    assert any(
        category == "error" and text.startswith("Not published:") and "reload" in text
        for category, text in shown
    ), shown
    assert version_states(fresh_demo) == before
    assert before[demo.draft_id][0] == "draft"


def test_publishing_twice_from_two_tabs_is_refused(fresh_demo: Served, demo: Demo):
    client = signed_in_client(fresh_demo.app, "planner")
    roster_path = f"/rosters/{demo.draft_id}"
    stale = _publish_fields(client, roster_path)
    assert location(client.post(f"{roster_path}/publish", data=stale)) == roster_path
    client.get(roster_path)  # reads the success message
    answer = client.post(f"{roster_path}/publish", data=stale)
    assert location(answer) == roster_path
    shown = flash_messages(client.get(roster_path))
    assert ("error", f"Not published: version {demo.draft_id} is published already") in shown


def test_a_publish_form_opened_before_another_roster_was_published_is_refused(
    fresh_demo: Served, demo: Demo
):
    """The form carries the roster published when the page was read: a colleague's
    publish in between is not silently replaced (the API's optimistic check)."""
    client = signed_in_client(fresh_demo.app, "planner")
    roster_path = f"/rosters/{demo.draft_id}"
    stale = _publish_fields(client, roster_path)
    # meanwhile a colleague locks a published shift (a second draft) and publishes that
    with unit_of_work(fresh_demo.sessions()) as session:
        shift_id = session.scalar(
            select(m.Assignment.id).filter_by(roster_version_id=demo.published_id).limit(1)
        )
    sessions = fresh_demo.sessions()
    edit = services.set_locked(sessions, shift_id, True, None)
    with unit_of_work(sessions) as session:
        counter = session.get(m.RosterVersion, edit.version_id).version_id
        number = session.get(m.RosterVersion, edit.version_id).number
    services.publish(sessions, edit.version_id, None, counter)
    before = version_states(fresh_demo)

    answer = client.post(f"{roster_path}/publish", data=stale)

    assert location(answer) == roster_path
    assert version_states(fresh_demo) == before
    assert before[edit.version_id][0] == "published"
    assert before[demo.draft_id][0] == "draft"
    assert stale["expected_published"] == str(demo.published_id)
    shown = flash_messages(client.get(roster_path))
    assert any(
        category == "error"
        and text.startswith(f"Not published: roster #{number} was published by someone else")
        and "reload" in text
        for category, text in shown
    ), shown
    fresh = _publish_fields(client, roster_path)
    assert fresh["expected_published"] == str(edit.version_id)
    assert location(client.post(f"{roster_path}/publish", data=fresh)) == roster_path
    assert version_states(fresh_demo)[demo.draft_id][0] == "published"


# --- edits ---------------------------------------------------------------------------------


def _action_forms(document: Node, verb: str) -> list[str]:
    return [
        f.get("action") or ""
        for f in document.find_all("form")
        if (f.get("action") or "").endswith(f"/{verb}")
    ]


@pytest.mark.parametrize("verb", ["lock", "remove"])
def test_editing_the_published_roster_goes_into_a_new_draft(
    fresh_demo: Served, demo: Demo, verb: str
):
    client = signed_in_client(fresh_demo.app, "planner")
    edit_page = f"/rosters/{demo.published_id}/agents/A0001"
    action = _action_forms(page(client.get(edit_page)), verb)[0]
    published_before = stored_roster(fresh_demo, demo.published_id)
    states_before = version_states(fresh_demo)

    answer = submit(client, edit_page, action)

    states = version_states(fresh_demo)
    new = sorted(set(states) - set(states_before))
    assert len(new) == 1, "one new draft expected"
    assert states[new[0]] == ("draft", demo.published_id)
    assert location(answer) == f"/rosters/{new[0]}/agents/A0001"
    assert stored_roster(fresh_demo, demo.published_id) == published_before
    assert states[demo.published_id][0] == "published"
    shown = flash_messages(client.get(location(answer)))
    assert any("went into a new draft" in text for _, text in shown), shown
    draft_page = page(client.get(f"/rosters/{new[0]}")).text
    assert "by a planner's edits" in draft_page and "Solve time" not in draft_page
    draft_shifts, draft_locked = stored_roster(fresh_demo, new[0])
    own_before = [a for a in published_before[0] if a.agent_id == "A0001"]
    own_after = [a for a in draft_shifts if a.agent_id == "A0001"]
    if verb == "lock":
        assert own_after == own_before
        assert len(draft_locked - published_before[1]) == 1
    else:
        assert len(own_after) == len(own_before) - 1


def test_an_add_that_breaks_a_rule_is_refused_naming_the_rule(fresh_demo: Served, demo: Demo):
    client = signed_in_client(fresh_demo.app, "planner")
    worked = demo.shifts_of("A0001")[0]
    other = next(code for code in demo.scenario.agent("A0001").shift_ids if code != worked.shift_id)
    edit_page = f"/rosters/{demo.published_id}/agents/A0001"
    published_before = stored_roster(fresh_demo, demo.published_id)
    states_before = version_states(fresh_demo)

    answer = submit(
        client,
        edit_page,
        f"{edit_page}/shifts",
        {"date": worked.date.isoformat(), "shift": other},
    )

    assert location(answer) == edit_page
    shown = flash_messages(client.get(edit_page))
    errors = " ".join(text for category, text in shown if category == "error")
    assert errors.startswith("Not changed:")
    assert "one shift a day" in errors and "(one_shift_per_date)" in errors
    assert version_states(fresh_demo) == states_before, "a refused edit left a draft behind"
    assert stored_roster(fresh_demo, demo.published_id) == published_before


def test_a_shift_added_to_a_draft_is_locked_and_listed(fresh_demo: Served, demo: Demo):
    """Remove a shift of the draft, then give it back by hand: it returns, locked."""
    client = signed_in_client(fresh_demo.app, "planner")
    edit_page = f"/rosters/{demo.draft_id}/agents/A0001"
    before = stored_roster(fresh_demo, demo.draft_id)
    document = page(client.get(edit_page))
    row = document.find("tbody").find_all("tr")[0]
    removed = _action_forms(row, "remove")[0]
    assert location(submit(client, edit_page, removed)) == edit_page
    gone = set(before[0]) - set(stored_roster(fresh_demo, demo.draft_id)[0])
    assert len(gone) == 1
    (shift,) = gone
    assert shift.agent_id == "A0001"

    answer = submit(
        client,
        edit_page,
        f"{edit_page}/shifts",
        {"date": shift.date.isoformat(), "shift": shift.shift_id},
    )

    assert location(answer) == edit_page, "a draft is edited in place"
    assert ("success", "Shift added and locked.") in flash_messages(client.get(edit_page))
    after = stored_roster(fresh_demo, demo.draft_id)
    assert sorted(after[0], key=repr) == sorted(before[0], key=repr)
    assert after[1] - before[1] == {("A0001", shift.date, shift.shift_id)}
    listed = page(client.get(edit_page)).find("tbody").find_all("tr")
    assert any(shift.date.strftime("%d %b %Y") in r.text and "locked" in r.text for r in listed)


def test_a_sick_call_is_recorded_and_the_resolve_covers_it(fresh_demo: Served, demo: Demo):
    """A planner records a sick day on a worked date; the re-solve started from the
    period page gives a draft where the agent does not work that day."""
    client = signed_in_client(fresh_demo.app, "planner")
    worked = demo.shifts_of("A0001")[0]
    edit_page = f"/rosters/{demo.published_id}/agents/A0001"
    day = worked.date.isoformat()

    answer = submit(
        client,
        edit_page,
        f"{edit_page}/absences",
        {"start_date": day, "end_date": day, "reason": "sick"},
    )

    period_page = location(answer)
    assert period_page == f"/periods/{demo.period_id}"
    shown = flash_messages(client.get(period_page))
    assert any(kind == "success" and "Re-solve" in text for kind, text in shown), shown
    assert "sick: still rostered" in page(client.get(edit_page)).text
    answer = submit(
        client,
        period_page,
        f"/periods/{demo.period_id}/resolve",
        {"time_limit_seconds": "3"},
    )
    job_id = int(location(answer).rsplit("/", 1)[1])
    job = wait_for_job(client, job_id)
    assert job["state"] == "succeeded", job
    draft_shifts, _ = stored_roster(fresh_demo, job["roster_version_id"])
    assert not [a for a in draft_shifts if a.agent_id == "A0001" and a.date == worked.date]


def test_an_absence_ending_before_it_starts_is_refused(fresh_demo: Served, demo: Demo):
    client = signed_in_client(fresh_demo.app, "planner")
    edit_page = f"/rosters/{demo.published_id}/agents/A0001"
    answer = submit(
        client,
        edit_page,
        f"{edit_page}/absences",
        {"start_date": "2027-03-25", "end_date": "2027-03-24", "reason": "sick"},
    )
    assert location(answer) == edit_page
    errors = [text for kind, text in flash_messages(client.get(edit_page)) if kind == "error"]
    assert errors and errors[0].startswith("Not recorded:"), errors
    with unit_of_work(fresh_demo.sessions()) as session:
        reasons = session.scalars(
            select(m.TimeOff.reason).join(m.Agent).where(m.Agent.code == "A0001")
        ).all()
    assert "sick" not in reasons


def wait_for_job(client, job_id: int, timeout_seconds: float = 60) -> dict:
    """Poll the job page's progress JSON, as the page's script does, until it finished."""
    import time

    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}/progress").get_json()
        if job["finished"]:
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} still running after {timeout_seconds} s")


def reimport(client, period_id: int, files: dict[str, bytes]):
    """Send new files with the period page's re-import form."""
    period_page = f"/periods/{period_id}"
    action = f"{period_page}/import"
    fields = form_fields(find_form(page(client.get(period_page)), action))
    fields["files"] = [(io.BytesIO(content), file_name) for file_name, content in files.items()]
    return client.post(action, data=fields, content_type="multipart/form-data")


def test_a_reimport_updates_the_period_and_keeps_its_rosters(fresh_demo: Served, demo: Demo):
    client = signed_in_client(fresh_demo.app, "planner")
    agents = Path(DEMO_SCENARIO_DIR) / "agents.csv"
    renamed = edited_csv(agents, {(2, "name"): "Liam Smith-Tremblay"})
    published_before = stored_roster(fresh_demo, demo.published_id)

    answer = reimport(client, demo.period_id, scenario_files(agents_csv=renamed))

    assert location(answer) == f"/periods/{demo.period_id}"
    grid = page(client.get(f"/rosters/{demo.published_id}/grid?q=A0001")).text
    assert "Liam Smith-Tremblay" in grid
    assert stored_roster(fresh_demo, demo.published_id) == published_before
    assert count(fresh_demo, m.PlanningPeriod) == 1


def test_a_broken_reimport_lists_its_errors_and_changes_nothing(fresh_demo: Served, demo: Demo):
    client = signed_in_client(fresh_demo.app, "planner")
    agents = Path(DEMO_SCENARIO_DIR) / "agents.csv"
    broken = edited_csv(agents, {(2, "name"): "Renamed", (4, "hours_per_week"): "lots"})

    answer = reimport(client, demo.period_id, scenario_files(agents_csv=broken))

    assert answer.status_code == 422
    errors = page(answer).find("div", id="import-errors").text
    assert "agents.csv" in errors and "4" in errors and "hours_per_week" in errors
    grid = page(client.get(f"/rosters/{demo.published_id}/grid?q=A0001")).text
    assert "Renamed" not in grid and "Liam Smith" in grid


def test_a_draft_re_solved_from_its_page_keeps_its_locked_shift(fresh_demo: Served, demo: Demo):
    """A planner locks a shift (the edit goes into a draft) and re-solves from that draft:
    the locked shift is in the new roster, as the page promised."""
    client = signed_in_client(fresh_demo.app, "planner")
    edit_page = f"/rosters/{demo.published_id}/agents/A0001"
    action = _action_forms(page(client.get(edit_page)), "lock")[0]
    locked_id = int(action.split("/")[2])
    with unit_of_work(fresh_demo.sessions()) as session:
        row = session.get(m.Assignment, locked_id)
        locked_key = (row.local_date, row.shift_code)
    draft_page = location(submit(client, edit_page, action))
    draft_id = int(draft_page.split("/")[2])

    answer = submit(
        client,
        f"/rosters/{draft_id}",
        f"/rosters/{draft_id}/resolve",
        {"time_limit_seconds": "3"},
    )

    job = wait_for_job(client, int(location(answer).rsplit("/", 1)[1]))
    assert job["state"] == "succeeded", job
    shifts, locked = stored_roster(fresh_demo, job["roster_version_id"])
    kept = {(a.date, a.shift_id) for a in shifts if a.agent_id == "A0001"}
    assert locked_key in kept
    assert len(locked) >= 1


def test_a_draft_older_than_the_published_roster_warns_before_publishing(
    fresh_demo: Served, demo: Demo
):
    client = signed_in_client(fresh_demo.app, "planner")
    assert page(client.get(f"/rosters/{demo.draft_id}")).find_all(id="stale-draft") == []
    second = signed_in_client(fresh_demo.app, "planner")
    edit_page = f"/rosters/{demo.published_id}/agents/A0002"
    action = _action_forms(page(second.get(edit_page)), "lock")[0]
    newer_draft = int(location(submit(second, edit_page, action)).split("/")[2])
    submit(second, f"/rosters/{newer_draft}/publish", f"/rosters/{newer_draft}/publish")

    warning = page(client.get(f"/rosters/{demo.draft_id}")).find("p", id="stale-draft")
    assert warning is not None and "undoes" in warning.text


def test_the_period_page_shows_which_languages_no_roster_can_cover(as_user, demo: Demo):
    """Speakers' contract hours against the hours the forecast needs, per language: the
    demo's Uzbek has four speakers for about twice their hours."""
    document = page(as_user("planner").get(f"/periods/{demo.period_id}"))
    rows = {
        row.get("data-language"): [cell.text for cell in row.find_all("td")]
        for row in document.find("table", id="language-supply").find_all("tr")
        if row.get("data-language")
    }
    table = compute_requirements(demo.scenario)
    weeks = demo.scenario.horizon.days / 7
    for code, cells in rows.items():
        speakers = [a for a in demo.scenario.agents if code in a.languages]
        assert int(cells[1]) == len(speakers), code
        assert float(cells[3]) == pytest.approx(sum(a.hours_per_week for a in speakers), abs=0.5)
        sites = {site.id: site for site in demo.scenario.sites}
        reach = sum(weekly_reachable_hours(a, sites[a.site_id]) for a in speakers)
        assert float(cells[4]) == pytest.approx(reach, abs=0.5), code
        needed = sum(table.required.get(code, ())) * demo.scenario.horizon.interval_minutes / 60
        assert float(cells[5]) == pytest.approx(needed / weeks, abs=0.5), code
    assert rows["uz"][7].endswith("short")
    assert "short" not in rows["en"][7] and "scarce" not in rows["en"][7]
