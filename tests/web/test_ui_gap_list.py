"""The roster page's gap list as a planner works it, by links and a GET form only (no
script): paged, sorted by a column header, filtered by language, kind and reason; and
the roster's files a planner downloads from the page (roster.csv, coverage.csv,
gaps.csv in the contract's formats), refused to HR and agents.

The demo's published roster has a few hundred gaps, more than one page."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from scheduler.gaps import GAP_COLUMNS, Gap
from scheduler.roster_io import COVERAGE_COLUMNS, ROSTER_COLUMNS, write_roster_csv
from scheduler.storage import models as m
from scheduler.storage.db import session_factory, unit_of_work
from scheduler.storage.scenario_store import load_gaps
from tests.web.conftest import Demo, Served, signed_in_client
from tests.web.page_tools import Node, find_form, form_fields, page
from web.ui.gap_list import GAPS_PER_PAGE


@pytest.fixture(scope="module")
def stored_gaps(app: Flask, demo: Demo) -> list[Gap]:
    with unit_of_work(session_factory(app.extensions["sunshift.engine"])) as session:
        gaps = load_gaps(session, demo.published_id)
    assert len(gaps) > 2 * GAPS_PER_PAGE, "the demo roster should have several pages of gaps"
    return gaps


@pytest.fixture
def planner(app: Flask, signed_in) -> FlaskClient:
    return signed_in(app, "planner")


def open_page(client: FlaskClient, url: str) -> Node:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return page(answer)


def gap_rows(document: Node) -> list[dict[str, str]]:
    """The rows of the gap list as a planner reads them, with the start's instant."""
    found = []
    for row in document.find(id="gap-list").find("tbody").find_all("tr"):
        cells = row.find_all("td")
        found.append(
            {
                "language": cells[0].text,
                "start": cells[1].find("time").get("datetime"),
                "missing": int(cells[3].text),
                "unavoidable": int(cells[4].text),
                "kind": cells[5].text,
                "reason": cells[6].children[0].strip(),
            }
        )
    return found


def row_key(gap: Gap) -> tuple[str, datetime, int]:
    return gap.language, gap.start_utc, gap.missing_agent_intervals


def keys(rows: list[dict[str, str]]) -> list[tuple[str, datetime, int]]:
    return [(r["language"], datetime.fromisoformat(r["start"]), r["missing"]) for r in rows]


def link(document: Node, rel: str | None = None, sort: str | None = None) -> str:
    """The href of the pager's ``rel`` link or of the ``sort`` column header's link."""
    if rel:
        (anchor,) = document.find("nav", cls="pager").find_all("a", rel=rel)
    else:
        (anchor,) = document.find(id="gap-list").find_all("a", **{"data-sort": sort})
    return anchor.get("href")


def test_first_page_lists_the_largest_gaps_and_says_how_many_there_are(
    planner: FlaskClient, demo: Demo, stored_gaps: list[Gap]
):
    document = open_page(planner, f"/rosters/{demo.published_id}")
    rows = gap_rows(document)

    assert len(rows) == GAPS_PER_PAGE
    missing = [r["missing"] for r in rows]
    assert missing == sorted(missing, reverse=True)
    assert missing[0] == max(g.missing_agent_intervals for g in stored_gaps)
    caption = document.find(id="gap-list").find("caption").text
    assert caption.startswith(f"Gaps 1–{GAPS_PER_PAGE} of {len(stored_gaps)}")
    pages = -(-len(stored_gaps) // GAPS_PER_PAGE)
    assert f"page 1 of {pages}" in document.find("nav", cls="pager").text
    header = document.find(id="gap-list").find_all("th", **{"aria-sort": "descending"})
    assert [th.text.split()[0] for th in header] == ["Missing"]


def test_next_page_shows_the_following_rows_and_every_gap_appears_once(
    planner: FlaskClient, demo: Demo, stored_gaps: list[Gap]
):
    url, seen = f"/rosters/{demo.published_id}", []
    for number in range(1, 100):
        document = open_page(planner, url)
        rows = gap_rows(document)
        assert (
            f"Gaps {len(seen) + 1}–{len(seen) + len(rows)} of" in document.find(id="gap-count").text
        )
        seen += rows
        nexts = document.find("nav", cls="pager").find_all("a", rel="next")
        if not nexts:
            break
        url = link(document, rel="next")
        assert "gap_page=" + str(number + 1) in url
    expected = sorted(stored_gaps, key=lambda g: (g.start_utc, g.language))
    expected.sort(key=lambda g: g.missing_agent_intervals, reverse=True)
    assert keys(seen) == [row_key(g) for g in expected]


def test_page_two_continues_where_page_one_stopped(
    planner: FlaskClient, demo: Demo, stored_gaps: list[Gap]
):
    first = open_page(planner, f"/rosters/{demo.published_id}?gap_sort=start")
    second = open_page(planner, link(first, rel="next"))
    starts = [r["start"] for r in gap_rows(first) + gap_rows(second)]
    in_order = sorted(stored_gaps, key=lambda g: (g.start_utc, g.language))
    assert keys(gap_rows(first) + gap_rows(second)) == [
        row_key(g) for g in in_order[: 2 * GAPS_PER_PAGE]
    ]
    assert [datetime.fromisoformat(s) for s in starts] == sorted(
        datetime.fromisoformat(s) for s in starts
    )
    assert link(second, rel="prev").endswith("gap_sort=start#gaps")  # page 1 is the default


def test_sorting_by_missing_from_the_header_puts_the_largest_first_and_again_reverses(
    planner: FlaskClient, demo: Demo, stored_gaps: list[Gap]
):
    by_start = open_page(planner, f"/rosters/{demo.published_id}?gap_sort=start&gap_page=3")
    largest = open_page(planner, link(by_start, sort="missing"))
    rows = gap_rows(largest)
    assert rows[0]["missing"] == max(g.missing_agent_intervals for g in stored_gaps)
    assert [r["missing"] for r in rows] == sorted((r["missing"] for r in rows), reverse=True)
    assert "Gaps 1–" in largest.find(id="gap-count").text  # a new order starts at page 1

    smallest = gap_rows(open_page(planner, link(largest, sort="missing")))
    assert smallest[0]["missing"] == min(g.missing_agent_intervals for g in stored_gaps)
    assert [r["missing"] for r in smallest] == sorted(r["missing"] for r in smallest)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("language", lambda r: r["language"]),
        ("unavoidable", lambda r: -r["unavoidable"]),
        ("kind", lambda r: ["unavoidable", "partly unavoidable", "traded"].index(r["kind"])),
    ],
)
def test_each_sortable_column_orders_the_rows(planner: FlaskClient, demo: Demo, column, value):
    first = open_page(planner, f"/rosters/{demo.published_id}")
    rows = gap_rows(open_page(planner, link(first, sort=column)))
    assert [value(r) for r in rows] == sorted(value(r) for r in rows)


def test_language_filter_keeps_only_that_language_across_its_pages(
    planner: FlaskClient, demo: Demo, stored_gaps: list[Gap]
):
    language = max(
        {g.language for g in stored_gaps},
        key=lambda code: sum(g.language == code for g in stored_gaps),
    )
    opened = open_page(planner, f"/rosters/{demo.published_id}?language=ja")
    fields = form_fields(find_form(opened, "#gaps"))
    assert "gap_language" in fields and fields["language"] == "ja"  # the heatmap's stays
    fields["gap_language"] = language
    answer = planner.get(f"/rosters/{demo.published_id}", query_string=fields)
    document = page(answer)
    rows = gap_rows(document)
    matching = [g for g in stored_gaps if g.language == language]

    assert {r["language"] for r in rows} == {language}
    assert len(rows) == min(GAPS_PER_PAGE, len(matching))
    assert f"of {len(matching)}" in document.find(id="gap-count").text
    assert f"({len(stored_gaps)} in all)" in document.find(id="gap-count").text
    assert document.find(id="heatmap-detail").get("data-language") == "ja"
    if len(matching) > GAPS_PER_PAGE:
        following = gap_rows(open_page(planner, link(document, rel="next")))
        assert {r["language"] for r in following} == {language}


def test_kind_and_reason_filters_combine(planner: FlaskClient, demo: Demo, stored_gaps):
    gap = max(stored_gaps, key=lambda g: g.missing_agent_intervals)
    document = open_page(
        planner,
        f"/rosters/{demo.published_id}?"
        + f"gap_kind={gap.kind}&gap_reason={gap.reason}&gap_sort=start".replace(" ", "+"),
    )
    rows = gap_rows(document)
    matching = [g for g in stored_gaps if g.kind == gap.kind and g.reason == gap.reason]
    assert rows and {(r["kind"], r["reason"]) for r in rows} == {(gap.kind, gap.reason)}
    assert f"of {len(matching)}" in document.find(id="gap-count").text
    chosen = {
        select.get("name"): [o.text for o in select.find_all("option") if "selected" in o.attrs]
        for select in document.find(id="gap-filters").find_all("select")
    }
    assert chosen == {"gap_language": [], "gap_kind": [gap.kind], "gap_reason": [gap.reason]}


def test_odd_parameters_fall_back_instead_of_failing(planner: FlaskClient, demo: Demo, stored_gaps):
    pages = -(-len(stored_gaps) // GAPS_PER_PAGE)
    document = open_page(
        planner, f"/rosters/{demo.published_id}?gap_page=999&gap_sort=evil&gap_order=up"
    )
    assert f"page {pages} of {pages}" in document.find("nav", cls="pager").text
    assert "sorted by missing agent-intervals, largest first" in document.find(id="gap-count").text
    nothing = open_page(planner, f"/rosters/{demo.published_id}?gap_language=xx&gap_page=x")
    assert gap_rows(nothing) == []
    assert "No gap matches these filters" in nothing.find(id="gap-count").text


# --- the roster's files -------------------------------------------------------------------


def download(client: FlaskClient, version_id: int, what: str) -> tuple[str, list[dict]]:
    answer = client.get(f"/rosters/{version_id}/{what}.csv")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    text = answer.get_data().decode("utf-8-sig")
    return answer.headers["Content-Disposition"], list(csv.DictReader(io.StringIO(text)))


def test_roster_page_links_its_three_files(planner: FlaskClient, demo: Demo):
    links = open_page(planner, f"/rosters/{demo.draft_id}").find(id="roster-files").find_all("a")
    assert [(a.text, a.get("href")) for a in links] == [
        (f"{what}.csv", f"/rosters/{demo.draft_id}/{what}.csv")
        for what in ("roster", "coverage", "gaps")
    ]


@pytest.mark.parametrize("which", ["published_id", "draft_id"])
def test_roster_csv_is_the_stored_roster_in_the_contract_format(
    planner: FlaskClient, demo: Demo, which: str
):
    version_id = getattr(demo, which)
    roster = demo.published if which == "published_id" else demo.draft
    disposition, rows = download(planner, version_id, "roster")
    number = 1 if which == "published_id" else 2
    assert disposition == f'attachment; filename="sunshift-demo-roster-{number}-roster.csv"'
    expected = io.StringIO()
    write_roster_csv(expected, roster.assignments)
    assert list(rows[0]) == list(ROSTER_COLUMNS)
    assert rows == list(csv.DictReader(io.StringIO(expected.getvalue())))
    assert len(rows) == len(roster.assignments)


def test_coverage_csv_is_the_stored_coverage(planner: FlaskClient, demo: Demo):
    disposition, rows = download(planner, demo.published_id, "coverage")
    assert disposition.endswith('-roster-1-coverage.csv"')
    assert list(rows[0]) == list(COVERAGE_COLUMNS)
    expected = sorted(demo.published.coverage, key=lambda r: (r.interval_start_utc, r.language))
    assert [
        (
            datetime.fromisoformat(r["interval_start"]),
            r["language"],
            int(r["required"]),
            int(r["staffed"]),
        )
        for r in rows
    ] == [(c.interval_start_utc, c.language, c.required, c.staffed) for c in expected]


def test_gaps_csv_lists_every_stored_gap(planner: FlaskClient, demo: Demo, stored_gaps):
    disposition, rows = download(planner, demo.published_id, "gaps")
    assert disposition.endswith('-roster-1-gaps.csv"')
    assert list(rows[0]) == list(GAP_COLUMNS)
    assert rows == [{k: str(v) for k, v in g.as_row().items()} for g in stored_gaps]


def test_text_cells_that_start_a_formula_are_written_behind_an_apostrophe(fresh_demo: Served):
    hostile_reason, hostile_agent = '=HYPERLINK("https://evil.example","x")', "-2+3"
    with unit_of_work(fresh_demo.sessions()) as session:
        version_id = session.scalar(select(m.RosterVersion.id).filter_by(state="published"))
        first_gap = session.scalar(
            select(m.GapRow.id).filter_by(roster_version_id=version_id).order_by(m.GapRow.position)
        )
        session.execute(update(m.GapRow).filter_by(id=first_gap).values(reason=hostile_reason))
        session.execute(update(m.Agent).filter_by(code="A0001").values(code=hostile_agent))
    client = signed_in_client(fresh_demo.app, "planner")

    _, gaps = download(client, version_id, "gaps")
    _, shifts = download(client, version_id, "roster")

    assert gaps[0]["reason"] == "'" + hostile_reason
    assert {r["agent_id"] for r in shifts if "2+3" in r["agent_id"]} == {"'" + hostile_agent}
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for r in gaps + shifts for cell in r.values()
    )


@pytest.mark.parametrize("what", ["roster", "coverage", "gaps"])
@pytest.mark.parametrize("user", ["hr", "a0001"])
def test_hr_and_agents_get_403_for_a_planner_download(
    app: Flask, demo: Demo, signed_in, user: str, what: str
):
    answer = signed_in(app, user).get(f"/rosters/{demo.published_id}/{what}.csv")
    assert answer.status_code == 403
    assert answer.mimetype == "text/html"


def test_signed_out_downloads_go_to_the_sign_in_page(app: Flask, demo: Demo):
    answer = app.test_client().get(f"/rosters/{demo.published_id}/gaps.csv")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_unknown_roster_or_file_is_404(planner: FlaskClient, demo: Demo):
    assert planner.get("/rosters/99999/roster.csv").status_code == 404
    assert planner.get(f"/rosters/{demo.published_id}/secrets.csv").status_code == 404
