"""HR's journey in a real browser: sign in, find the published demo roster among the
exports, preview its hours by site, and download the payroll files.

The downloaded workbook and shift list are checked against the roster folder the
demo published (roster.csv), with worked, night and weekend hours recomputed here
from the shifts' UTC times and each site's time zone, as docs/exports.md defines
them: a shift counts in the 7-day block (from the horizon's first date) of the local
date it starts on; night is local 22:00-06:00 and weekend local Saturday and Sunday,
counted by the local time at which each minute is worked.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from config.settings import DEMO_SCENARIO_DIR
from scheduler.exports.spreadsheets import sheet_titles
from tests.browser.helpers import LAPTOP, open_page, save_screenshot, sign_in

pytestmark = pytest.mark.browser

USER, PASSWORD = "hr", "sunshift-hr"
NO_ACCESS = "You don't have access"
SLICE = timedelta(minutes=15)
"""Demo shifts start and end on whole half hours and every demo zone's offset is a
multiple of 15 minutes, so 15-minute slices classify night and weekend time exactly."""
TOLERANCE = 1e-6

HOURS_HEADER = [
    "Site",
    "Agent ID",
    "Agent",
    "E-mail",
    "Week",
    "Week start",
    "Week end",
    "Shifts",
    "Contract hours",
    "Worked hours",
    "Night hours",
    "Weekend hours",
    "Holiday hours",
    "Holidays worked",
    "Time-off days",
    "Time off",
]
NUMBER_COLUMNS = (
    "Time-off days",
    "Week",
    "Shifts",
    "Contract hours",
    "Worked hours",
    "Night hours",
    "Weekend hours",
    "Holiday hours",
)


def time_off_days() -> set[tuple[str, date]]:
    """(agent id, date) of every day of config/demo/time_off.csv."""
    days = set()
    with (DEMO_SCENARIO_DIR / "time_off.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = date.fromisoformat(row["start_date"])
            while day <= date.fromisoformat(row["end_date"]):
                days.add((row["agent_id"], day))
                day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class RosterRow:
    agent_id: str
    site: str
    day: date
    shift: str
    start_utc: datetime
    end_utc: datetime


@dataclass
class Expected:
    shifts: int = 0
    worked: timedelta = timedelta()
    night: timedelta = timedelta()
    weekend: timedelta = timedelta()


def read_roster(folder: Path) -> list[RosterRow]:
    with (folder / "roster.csv").open(newline="", encoding="utf-8") as handle:
        return [
            RosterRow(
                agent_id=row["agent_id"],
                site=row["site"],
                day=date.fromisoformat(row["date"]),
                shift=row["shift"],
                start_utc=datetime.fromisoformat(row["start_utc"]),
                end_utc=datetime.fromisoformat(row["end_utc"]),
            )
            for row in csv.DictReader(handle)
        ]


def is_night(local: datetime) -> bool:
    return local.hour >= 22 or local.hour < 6


def expected_hours(
    roster: list[RosterRow], zones: dict[str, str], week_starts: list[date]
) -> dict[tuple[str, date], Expected]:
    """(agent, first date of its 7-day block) -> what the week's export row must say."""
    tallies: dict[tuple[str, date], Expected] = defaultdict(Expected)
    for row in roster:
        week = max(start for start in week_starts if start <= row.day)
        assert row.day < week + timedelta(days=7), f"{row} lies outside the horizon"
        tally = tallies[(row.agent_id, week)]
        tally.shifts += 1
        tally.worked += row.end_utc - row.start_utc
        zone = ZoneInfo(zones[row.site])
        assert (row.end_utc - row.start_utc) % SLICE == timedelta(), row
        instant = row.start_utc
        while instant < row.end_utc:
            local = instant.astimezone(zone)
            if is_night(local):
                tally.night += SLICE
            if local.weekday() >= 5:
                tally.weekend += SLICE
            instant += SLICE
    return tallies


def as_hours(duration: timedelta) -> float:
    return duration.total_seconds() / 3600


def as_date(value: object) -> date:
    assert isinstance(value, date), f"{value!r} is not a date cell"
    return value.date() if isinstance(value, datetime) else value


@pytest.fixture(scope="module")
def roster(demo_server) -> list[RosterRow]:
    rows = read_roster(demo_server.roster_dir)
    assert rows, "the demo roster folder has no shift"
    return rows


@pytest.fixture(scope="module")
def hr_page(demo_server, chromium) -> Iterator:
    """One laptop-sized tab, signed in through the form as HR for the whole module."""
    page = open_page(chromium, LAPTOP)
    sign_in(page, demo_server.base_url, USER, PASSWORD)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def hours_url(hr_page, demo_server, screenshots_dir) -> str:
    """HR lands on the exports, sees the published demo roster and opens its hours page."""
    page = hr_page
    assert page.url == demo_server.url("/exports")
    assert page.get_by_role("heading", level=1).inner_text() == "Payroll exports"
    published = page.locator("#export-list tbody tr").filter(has=page.locator(".state.published"))
    assert published.count() == 1
    save_screenshot(page, screenshots_dir, "hr-exports-laptop")
    published.locator("td").nth(2).get_by_role("link").click()
    page.wait_for_url(lambda url: url.rstrip("/") != demo_server.url("/exports"))
    return page.url


def test_hours_page_shows_site_totals(hr_page, hours_url, demo_server, roster, screenshots_dir):
    page = hr_page
    assert page.url == hours_url
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hours")
    totals = page.locator("#site-totals tbody tr")
    sites_with_agents = [
        site
        for site in demo_server.scenario.sites
        if any(agent.site_id == site.id for agent in demo_server.scenario.agents)
    ]
    assert totals.count() == len(sites_with_agents)

    # each site's shift count and worked hours, as roster.csv has them
    worked: dict[str, float] = defaultdict(float)
    shifts: dict[str, int] = defaultdict(int)
    for row in roster:
        worked[row.site] += as_hours(row.end_utc - row.start_utc)
        shifts[row.site] += 1
    for site, line in zip(sites_with_agents, totals.all(), strict=True):
        cells = line.locator("td").all_inner_texts()
        assert cells[0].startswith(site.name), cells
        assert int(cells[2]) == shifts[site.id], (site.id, cells)
        assert float(cells[3]) == pytest.approx(worked[site.id], abs=0.005), (site.id, cells)
    save_screenshot(page, screenshots_dir, "hr-hours-laptop")


def test_hours_workbook_matches_the_roster(hr_page, hours_url, demo_server, roster):
    page = hr_page
    page.goto(hours_url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Hours .xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(BytesIO(Path(download.path()).read_bytes()))

    scenario = demo_server.scenario
    titles = sheet_titles(scenario)
    site_sheets = [titles[site.id] for site in scenario.sites]
    assert workbook.sheetnames == ["Roster", *site_sheets, "Agent totals", "Shifts"]

    blocks = scenario.horizon.blocks()
    week_starts = [block[0] for block in blocks]
    zones = {site.id: site.timezone for site in scenario.sites}
    expected = expected_hours(roster, zones, week_starts)
    assert any(tally.night > timedelta() for tally in expected.values()), "no night shift"

    seen: set[tuple[str, date]] = set()
    for site in scenario.sites:
        sheet = workbook[titles[site.id]]
        lines = list(sheet.iter_rows(values_only=True))
        assert list(lines[0]) == HOURS_HEADER, site.id
        agents = sorted(agent.id for agent in scenario.agents if agent.site_id == site.id)
        assert len(lines) - 1 == len(agents) * len(blocks), site.id
        for values in lines[1:]:
            line = dict(zip(HOURS_HEADER, values, strict=True))
            for column in NUMBER_COLUMNS:
                value = line[column]
                assert isinstance(value, int | float) and not isinstance(value, bool), (
                    f"{site.id} {column}: {value!r} is not a number"
                )
            start, end = as_date(line["Week start"]), as_date(line["Week end"])
            week = line["Week"] - 1
            assert (start, end) == (blocks[week][0], blocks[week][-1]), line
            assert line["Site"] == site.id
            agent_id = line["Agent ID"]
            assert agent_id in agents
            seen.add((agent_id, start))

            tally = expected.get((agent_id, start), Expected())
            where = f"{agent_id} week of {start}"
            assert line["Shifts"] == tally.shifts, where
            assert line["Worked hours"] == pytest.approx(as_hours(tally.worked), abs=TOLERANCE), (
                where
            )
            assert line["Night hours"] == pytest.approx(as_hours(tally.night), abs=TOLERANCE), where
            assert line["Weekend hours"] == pytest.approx(as_hours(tally.weekend), abs=TOLERANCE), (
                where
            )
            absent = sorted(d for a, d in time_off_days() if a == agent_id and start <= d <= end)
            assert line["Time-off days"] == len(absent), where
            assert all(day.isoformat() in (line["Time off"] or "") for day in absent), where
    assert seen == {(agent.id, start) for agent in scenario.agents for start in week_starts}

    if "Shifts" in workbook.sheetnames:
        lines = list(workbook["Shifts"].iter_rows(values_only=True))
        header = list(lines[0])
        assert len(lines) - 1 == len(roster)
        for column in ("Agent ID", "Date", "Hours", "Start (UTC)", "End (UTC)"):
            assert column in header
        shown = set()
        for values in lines[1:]:
            line = dict(zip(header, values, strict=True))
            assert isinstance(line["Date"], date), line
            assert isinstance(line["Start (UTC)"], datetime), line
            assert isinstance(line["End (UTC)"], datetime), line
            assert isinstance(line["Hours"], int | float), line
            shown.add((line["Agent ID"], as_date(line["Date"]), line["Start (UTC)"]))
        assert shown == {
            (row.agent_id, row.day, row.start_utc.replace(tzinfo=None)) for row in roster
        }


def test_shift_list_csv_has_every_roster_row(hr_page, hours_url, roster):
    page = hr_page
    page.goto(hours_url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Shifts .csv").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.DictReader(text.splitlines()))
    assert len(lines) == len(roster)
    assert {
        (
            line["agent_id"],
            date.fromisoformat(line["date"]),
            line["shift"],
            datetime.fromisoformat(line["start_utc"]),
            datetime.fromisoformat(line["end_utc"]),
        )
        for line in lines
    } == {(row.agent_id, row.day, row.shift, row.start_utc, row.end_utc) for row in roster}


@pytest.mark.parametrize("path", ["/periods", "/me"])
def test_hr_cannot_open_planner_or_agent_pages(hr_page, demo_server, path):
    response = hr_page.goto(demo_server.url(path))
    assert response is not None and response.status == 403
    assert NO_ACCESS in hr_page.locator("main").inner_text()
