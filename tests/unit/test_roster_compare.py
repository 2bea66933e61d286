"""Comparing two rosters: per agent what is kept, added, removed and moved (matched by
local date), per language the shortfall of each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.domain import Assignment, CoverageRow, Roster
from scheduler.roster_compare import ADDED, MOVED, REMOVED, compare_rosters

TORONTO = ZoneInfo("America/Toronto")


def shift(agent: str, day: date, shift_id: str, hour: int, hours: int = 8) -> Assignment:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=TORONTO)
    end = start + timedelta(hours=hours)
    return Assignment(
        agent_id=agent,
        site_id="tor",
        date=day,
        shift_id=shift_id,
        start_utc=start.astimezone(UTC),
        end_utc=end.astimezone(UTC),
        start_local=start,
        end_local=end,
    )


def coverage(*rows: tuple[str, int, int]) -> tuple[CoverageRow, ...]:
    at = datetime(2027, 3, 22, tzinfo=UTC)
    return tuple(
        CoverageRow(at + timedelta(minutes=30 * i), lang, req, staffed)
        for i, (lang, req, staffed) in enumerate(rows)
    )


MON, TUE, WED = date(2027, 3, 22), date(2027, 3, 23), date(2027, 3, 24)


def test_kept_added_removed_and_moved_per_agent_and_date():
    before = Roster(
        (
            shift("A1", MON, "early", 7),
            shift("A1", TUE, "early", 7),
            shift("A2", MON, "late", 15),
            shift("A3", WED, "early", 7),
        ),
        coverage(),
        {},
    )
    after = Roster(
        (
            shift("A1", MON, "early", 7),  # kept
            shift("A1", TUE, "late", 15),  # moved within Tuesday
            shift("A2", TUE, "late", 15),  # Monday's shift moved a day: removed + added
            shift("A4", WED, "early", 7),  # a new agent's shift
        ),
        coverage(),
        {},
    )

    result = compare_rosters(before, after)

    assert result.kept == 1
    by_agent = {a.agent_id: [(c.kind, c.date) for c in a.changes] for a in result.agents}
    assert by_agent == {
        "A1": [(MOVED, TUE)],
        "A2": [(REMOVED, MON), (ADDED, TUE)],
        "A3": [(REMOVED, WED)],
        "A4": [(ADDED, WED)],
    }
    (moved,) = result.agents[0].changes
    assert (moved.before.shift_id, moved.after.shift_id) == ("early", "late")
    assert moved.after.start_local.hour == 15  # in the agent's own time
    assert (result.count(ADDED), result.count(REMOVED), result.count(MOVED)) == (2, 2, 1)


def test_the_same_roster_changes_nothing():
    shifts = (shift("A1", MON, "early", 7), shift("A2", TUE, "late", 15))
    result = compare_rosters(Roster(shifts, (), {}), Roster(tuple(reversed(shifts)), (), {}))
    assert result.agents == ()
    assert result.kept == 2


def test_shortfall_per_language_before_and_after():
    before = Roster((), coverage(("en", 3, 1), ("en", 2, 2), ("ja", 1, 0), ("fr", 1, 3)), {})
    after = Roster((), coverage(("en", 3, 3), ("en", 2, 1), ("ja", 1, 0), ("fr", 1, 0)), {})

    result = compare_rosters(before, after)

    assert [(r.language, r.before, r.after, r.change) for r in result.languages] == [
        ("en", 2, 1, -1),
        ("fr", 0, 1, 1),
        ("ja", 1, 1, 0),
    ]
    assert (result.shortfall_before, result.shortfall_after) == (3, 3)
