"""Roster versions: saved and loaded unchanged, local offsets across DST, optimistic locks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from calendars.zones import iso_local, shift_instants
from config.settings import DEMO_SCENARIO_DIR
from scheduler.domain import Assignment, CoverageRow, Roster
from scheduler.gaps import Gap
from scheduler.imports import load_scenario
from scheduler.roster_io import read_roster_folder, write_roster_folder
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import (
    StoreError,
    import_scenario,
    load_gaps,
    load_roster,
    save_roster,
)


@pytest.fixture
def spec_period(sessions, spec_example_dir) -> int:
    with unit_of_work(sessions) as session:
        return import_scenario(session, load_scenario(spec_example_dir)).id


@pytest.fixture
def spec_roster(spec_example_roster_dir) -> Roster:
    roster, errors = read_roster_folder(spec_example_roster_dir)
    assert not errors
    return roster


def saved(sessions, period_id, roster, **options) -> int:
    with unit_of_work(sessions) as session:
        return save_roster(session, period_id, roster, **options).id


def loaded(sessions, version_id) -> Roster:
    with unit_of_work(sessions) as session:
        return load_roster(session, version_id)


def test_a_saved_roster_loads_unchanged(sessions, spec_period, spec_roster, tmp_path):
    version_id = saved(sessions, spec_period, spec_roster)

    again = loaded(sessions, version_id)

    assert again == spec_roster
    assert again.summary == spec_roster.summary
    write_roster_folder(tmp_path / "saved", spec_roster)
    write_roster_folder(tmp_path / "loaded", again)  # the contract's files, byte for byte
    for name in ("roster.csv", "coverage.csv", "summary.json"):
        assert (tmp_path / "loaded" / name).read_bytes() == (tmp_path / "saved" / name).read_bytes()


def test_versions_are_numbered_drafts_with_their_parent(sessions, spec_period, spec_roster):
    first = saved(sessions, spec_period, spec_roster)
    with unit_of_work(sessions) as session:
        planner = m.User(name="pia", role="planner")
        session.add(planner)
        second = save_roster(
            session,
            spec_period,
            spec_roster,
            created_by=planner,
            parent=session.get(m.RosterVersion, first),
        )
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, second.id)
        assert (version.number, version.state, version.parent_id) == (2, "draft", first)
        assert version.created_by.name == "pia"
        assert version.created_at.tzinfo is UTC


def test_local_times_keep_their_offset_across_the_dst_change(sessions):
    scenario = load_scenario(DEMO_SCENARIO_DIR)
    prague = next(site for site in scenario.sites if site.timezone == "Europe/Prague")
    agent = next(a for a in scenario.agents if a.site_id == prague.id)
    shift = prague.shift(agent.shift_ids[0])
    days = [date(2027, 3, 26) + timedelta(days=i) for i in range(4)]  # EU DST starts 03-28
    shifts = []
    for day in days:
        when = shift_instants(prague.timezone, day, shift.start, shift.hours)
        shifts.append(
            Assignment(agent.id, prague.id, day, shift.id, *vars(when).values())  # type: ignore[arg-type]
        )
    roster = Roster(tuple(shifts), (), {"status": "hand made"})
    with unit_of_work(sessions) as session:
        period_id = import_scenario(session, scenario).id

    again = loaded(sessions, saved(sessions, period_id, roster, locked={(agent.id, days[1])}))

    assert again == roster
    offsets = [iso_local(a.start_local)[-6:] for a in again.assignments]
    assert offsets == ["+01:00", "+01:00", "+02:00", "+02:00"]
    assert [iso_local(a.start_local) for a in again.assignments] == [
        iso_local(a.start_local) for a in shifts
    ]
    with unit_of_work(sessions) as session:
        locked = session.scalars(select(m.Assignment.local_date).filter_by(locked=True)).all()
    assert locked == [days[1]]


def test_gaps_are_saved_with_their_version(sessions, spec_period, spec_roster):
    start = datetime(2027, 6, 7, 3, tzinfo=UTC)
    gaps = [
        Gap("ja", start, start + timedelta(hours=2), "Asia/Tokyo", 2, 3, 2, 3, "time off", "x"),
        Gap("de", start, start + timedelta(hours=1), "Europe/Berlin", 1, 1, 1, 0, "rest rule", ""),
    ]
    version_id = saved(sessions, spec_period, spec_roster, gaps=gaps)
    with unit_of_work(sessions) as session:
        again = load_gaps(session, version_id)
        kinds = session.scalars(select(m.GapRow.kind).order_by(m.GapRow.position)).all()
    assert again == gaps
    assert [gap.as_row() for gap in again] == [gap.as_row() for gap in gaps]
    assert kinds == ["unavoidable", "traded"]


def test_a_roster_naming_unknown_agents_or_off_grid_intervals_is_refused(
    sessions, spec_period, spec_roster
):
    stranger = spec_roster.assignments[0].__class__(
        **{**vars(spec_roster.assignments[0]), "agent_id": "Z9999", "site_id": "xxx"}
    )
    with pytest.raises(StoreError, match="agents not in the period: Z9999.*sites not in the"):
        saved(sessions, spec_period, Roster((stranger,), ()))
    off_grid = CoverageRow(datetime(2027, 6, 7, 0, 30, tzinfo=UTC), "en", 1, 1)
    with pytest.raises(StoreError, match="off the period's grid"):
        saved(sessions, spec_period, Roster((), (off_grid,)))
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count(m.RosterVersion.id))) == 0


def test_a_concurrent_update_of_one_version_raises_stale_data(sessions, spec_period, spec_roster):
    version_id = saved(sessions, spec_period, spec_roster)
    first, second = sessions(), sessions()
    try:
        mine = first.get(m.RosterVersion, version_id)
        theirs = second.get(m.RosterVersion, version_id)
        mine.state = "published"
        first.commit()
        theirs.state = "superseded"
        with pytest.raises(StaleDataError):
            second.flush()
        second.rollback()
    finally:
        first.close()
        second.close()
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, version_id)
        assert (version.state, version.version_id) == ("published", 2)


def test_only_one_version_of_a_period_is_published(sessions, spec_period, spec_roster):
    ids = [saved(sessions, spec_period, spec_roster) for _ in range(2)]
    with unit_of_work(sessions) as session:
        session.get(m.RosterVersion, ids[0]).state = "published"
    with pytest.raises(IntegrityError), unit_of_work(sessions) as session:
        session.get(m.RosterVersion, ids[1]).state = "published"
