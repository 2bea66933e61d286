"""Coverage claims and the summary: rows, required numbers, staffed numbers the
agents on shift can really fill (one language each), and summary totals."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from checker_builders import MONDAY, agent, honest_summary, roster, scenario, shift
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.checker import check_roster, review_roster
from scheduler.checker.coverage import allocatable
from scheduler.domain import CoverageRow, Roster


def rules_of(sc, r: Roster) -> list[tuple[str, str | None, date | None]]:
    return [(v.rule, v.agent_id, v.date) for v in check_roster(sc, r)]


def with_rows(sc, r: Roster, rows: list[CoverageRow], honest: bool = True) -> Roster:
    """The roster with other coverage rows; the summary recomputed from them if honest."""
    summary = honest_summary(sc, rows) if honest else r.summary
    return Roster(r.assignments, tuple(rows), summary)


def changed(rows, at: datetime, language: str, **values) -> list[CoverageRow]:
    return [
        dataclasses.replace(row, **values)
        if (row.interval_start_utc, row.language) == (at, language)
        else row
        for row in rows
    ]


def one_early_shift():
    """Munich early shift on Monday: 06:00-14:00 local, 05:00Z-13:00Z."""
    sc = scenario((agent("A1"),))
    return sc, roster(sc, [shift(sc, "A1", MONDAY, "early")])


AT_0600Z = datetime(2027, 3, 1, 6, tzinfo=UTC)


def test_honest_coverage_passes_and_reports_best_allocation():
    sc, r = one_early_shift()
    report = review_roster(sc, r)
    assert report.violations == ()
    intervals = sc.horizon.interval_count
    assert report.coverage.claimed_shortfall == intervals - 8
    assert report.coverage.best_shortfall == intervals - 8
    assert "sub-optimally" not in report.notes[0]


def test_staffed_one_more_than_agents_on_shift_is_coverage_staffed():
    sc, r = one_early_shift()
    rows = changed(r.coverage, AT_0600Z, "en", staffed=2)
    violations = check_roster(sc, with_rows(sc, r, rows))
    assert [(v.rule, v.agent_id, v.date) for v in violations] == [
        ("coverage_staffed", None, MONDAY)
    ]
    assert "2027-03-01T06:00:00Z claims en 2 staffed" in violations[0].message
    assert "can fill at most 1" in violations[0].message


def test_agent_counts_only_for_intervals_his_shift_covers_whole():
    sc = scenario((agent("A1"),))
    monday_0859 = shift(sc, "A1", MONDAY, "day_0859")  # 07:59Z-15:59Z
    r = roster(sc, [monday_0859])
    first_whole = datetime(2027, 3, 1, 8, tzinfo=UTC)
    assert {row.interval_start_utc for row in r.coverage if row.staffed} == {
        first_whole + timedelta(hours=h) for h in range(7)
    }
    rows = changed(r.coverage, datetime(2027, 3, 1, 7, tzinfo=UTC), "en", staffed=1)
    assert rules_of(sc, with_rows(sc, r, rows)) == [("coverage_staffed", None, MONDAY)]


def test_bilingual_agent_counted_for_two_languages_at_once_is_coverage_staffed():
    sc = scenario((agent("A1", languages=("de", "en")),), always_on=("de", "en"))
    double_counted = roster(sc, [shift(sc, "A1", MONDAY, "early")])  # en 1 and de 1
    found = rules_of(sc, double_counted)
    assert found == [("coverage_staffed", None, MONDAY)] * 8

    one_language = [
        dataclasses.replace(row, staffed=0) if row.language == "de" else row
        for row in double_counted.coverage
    ]
    assert rules_of(sc, with_rows(sc, double_counted, one_language)) == []


def test_two_bilingual_agents_may_split_across_languages():
    sc = scenario(
        (agent("A1", languages=("de", "en")), agent("A2", languages=("en",))),
        always_on=("de", "en"),
    )
    r = roster(sc, [shift(sc, "A1", MONDAY, "early"), shift(sc, "A2", MONDAY, "early")])
    # builder claims en 2 and de 1 from two agents: too many
    assert {v.rule for v in check_roster(sc, r)} == {"coverage_staffed"}
    split = [
        dataclasses.replace(row, staffed=1) if row.staffed else row for row in r.coverage
    ]  # en 1 (A2), de 1 (A1)
    assert rules_of(sc, with_rows(sc, r, split)) == []


def test_claimed_allocation_worse_than_possible_is_a_note_not_a_violation():
    sc, r = one_early_shift()
    rows = changed(r.coverage, AT_0600Z, "en", staffed=0)
    report = review_roster(sc, with_rows(sc, r, rows))
    assert report.violations == ()
    assert report.coverage.claimed_shortfall == report.coverage.best_shortfall + 1
    assert "sub-optimally: 1 more than needed" in report.notes[0]


def test_required_not_the_scenarios_is_coverage_required():
    sc, r = one_early_shift()
    rows = changed(r.coverage, AT_0600Z, "en", required=3)
    violations = check_roster(sc, with_rows(sc, r, rows))
    assert [(v.rule, v.date) for v in violations] == [("coverage_required", MONDAY)]
    assert "says 3, scenario requires 1" in violations[0].message


def test_missing_row_is_coverage_rows():
    sc, r = one_early_shift()
    rows = [row for row in r.coverage if row.interval_start_utc != AT_0600Z]
    violations = check_roster(sc, with_rows(sc, r, rows))
    assert [(v.rule, v.date) for v in violations] == [("coverage_rows", MONDAY)]
    assert "1 row(s) for en are missing" in violations[0].message


def test_duplicate_unknown_language_and_off_grid_rows_are_coverage_rows():
    sc, r = one_early_shift()
    extra = [
        CoverageRow(AT_0600Z, "en", 1, 1),
        CoverageRow(AT_0600Z, "xx", 0, 0),
        CoverageRow(AT_0600Z + timedelta(minutes=30), "en", 1, 0),
        CoverageRow(sc.horizon.end_utc, "en", 1, 0),
    ]
    violations = check_roster(sc, Roster(r.assignments, r.coverage + tuple(extra), r.summary))
    messages = [v.message.split(",")[0] for v in violations if v.rule == "coverage_rows"]
    assert len(violations) == 3
    assert sorted(messages) == [
        "1 row(s) for en are a duplicate of an earlier row",
        "1 row(s) for xx are a language the scenario has no demand or floor for",
        "2 row(s) for en are an interval_start outside the horizon's interval grid",
    ]


def test_summary_shortfall_that_disagrees_with_coverage():
    sc, r = one_early_shift()
    summary = {**r.summary, "shortfall": r.summary["shortfall"] - 1}
    violations = check_roster(sc, Roster(r.assignments, r.coverage, summary))
    assert [(v.rule, v.agent_id, v.date) for v in violations] == [("summary_shortfall", None, None)]


def test_summary_floor_gaps_that_disagree_with_coverage():
    sc, r = one_early_shift()
    summary = {**r.summary, "floor_gaps": 0}
    assert rules_of(sc, Roster(r.assignments, r.coverage, summary)) == [
        ("summary_floor_gaps", None, None)
    ]


def test_summary_needs_status_and_no_violations():
    sc, r = one_early_shift()
    summary = {key: value for key, value in r.summary.items() if key != "status"}
    summary["violations"] = ["A1 2027-03-01 min_rest: ..."]
    assert sorted(rules_of(sc, Roster(r.assignments, r.coverage, summary))) == [
        ("summary_status", None, None),
        ("summary_violations", None, None),
    ]


def test_summary_bound_above_what_these_shifts_achieve():
    sc, r = one_early_shift()
    best = review_roster(sc, r).coverage.best_shortfall
    at_best = Roster(r.assignments, r.coverage, {**r.summary, "bound": best})
    assert rules_of(sc, at_best) == []
    above = Roster(r.assignments, r.coverage, {**r.summary, "bound": best + 1})
    assert rules_of(sc, above) == [("summary_bound", None, None)]


def brute_force_allocatable(agents: list[tuple[int, ...]], capacity: tuple[int, ...]) -> int:
    """Most agents placed, each on one language he speaks (or none), within capacities."""
    best = 0

    def place(index: int, left: list[int], placed: int) -> None:
        nonlocal best
        best = max(best, placed)
        if index == len(agents):
            return
        place(index + 1, left, placed)
        for language in agents[index]:
            if left[language]:
                left[language] -= 1
                place(index + 1, left, placed + 1)
                left[language] += 1

    place(0, list(capacity), 0)
    return best


language_sets = st.sets(st.integers(0, 2), min_size=1, max_size=3).map(lambda s: tuple(sorted(s)))


@settings(max_examples=200, deadline=None)
@given(
    agents=st.lists(language_sets, max_size=6),
    capacity=st.tuples(*[st.integers(0, 4)] * 3),
)
def test_max_flow_allocation_matches_brute_force(agents, capacity):
    groups = sorted(Counter(agents).items())
    assert allocatable(groups, capacity) == brute_force_allocatable(agents, capacity)
