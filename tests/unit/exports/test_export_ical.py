"""An agent's .ics feed: exactly his shifts at the roster's instants, stable UIDs, holidays."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest
from exports_builders import SITES, roster, scenario, shift, spec_example
from icalendar import Calendar

from scheduler.exports import agent_calendar
from scheduler.exports.ical import shift_title

STAMP = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def shift_events(calendar: Calendar) -> list:
    return [e for e in calendar.walk("VEVENT") if "Shift" in str(e.get("categories").cats)]


def holiday_events(calendar: Calendar) -> list:
    return [e for e in calendar.walk("VEVENT") if "Holiday" in str(e.get("categories").cats)]


@pytest.fixture
def example(spec_example_dir, spec_example_roster_dir):
    return spec_example(spec_example_dir, spec_example_roster_dir)


def test_feed_has_exactly_the_agents_shifts_at_the_roster_instants(
    example, spec_example_roster_dir
):
    sc, solved = example
    agent_id = "A0029"  # Dublin
    lines = [
        line
        for line in csv.DictReader((spec_example_roster_dir / "roster.csv").open())
        if line["agent_id"] == agent_id
    ]

    calendar = Calendar.from_ical(agent_calendar(sc, solved, agent_id, stamp_utc=STAMP))

    assert str(calendar["version"]) == "2.0"
    assert str(calendar["method"]) == "PUBLISH"
    assert "Sunshift" in str(calendar["prodid"])
    assert "Agent 0029" in str(calendar["x-wr-calname"])
    events = shift_events(calendar)
    assert sorted(
        (e.decoded("dtstart").astimezone(UTC), e.decoded("dtend").astimezone(UTC)) for e in events
    ) == sorted(
        (
            datetime.fromisoformat(line["start_utc"].replace("Z", "+00:00")),
            datetime.fromisoformat(line["end_utc"].replace("Z", "+00:00")),
        )
        for line in lines
    )
    assert all(e.decoded("dtstart").tzinfo is not None for e in events)  # instants, not floating
    assert all(str(e["summary"]).endswith("(Dublin)") for e in events)
    assert all("+01:00" in str(e["description"]) for e in events)


def test_uids_are_stable_across_exports_and_unique(example):
    sc, solved = example
    first = Calendar.from_ical(agent_calendar(sc, solved, "A0029"))
    again = Calendar.from_ical(
        agent_calendar(sc, solved, "A0029", stamp_utc=datetime(2030, 1, 1, tzinfo=UTC))
    )

    uids = [str(e["uid"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in again.walk("VEVENT")]
    assert len(set(uids)) == len(uids)


def test_a_moved_shift_keeps_other_uids_and_a_given_stamp_gives_equal_bytes():
    sc = scenario(date(2027, 6, 7), sites=(SITES["dub"],))
    monday, tuesday = date(2027, 6, 7), date(2027, 6, 8)
    before = roster([shift(sc, "DUB", monday, "early"), shift(sc, "DUB", tuesday, "early")])
    after = roster([shift(sc, "DUB", monday, "early"), shift(sc, "DUB", tuesday, "late")])

    uid_before = {
        str(e["uid"]) for e in shift_events(Calendar.from_ical(agent_calendar(sc, before, "DUB")))
    }
    uid_after = {
        str(e["uid"]) for e in shift_events(Calendar.from_ical(agent_calendar(sc, after, "DUB")))
    }

    assert len(uid_before & uid_after) == 1  # Monday's event is updated in place, not duplicated
    assert agent_calendar(sc, before, "DUB", stamp_utc=STAMP) == agent_calendar(
        sc, before, "DUB", stamp_utc=STAMP
    )


def test_site_holidays_in_the_horizon_are_all_day_events():
    berlin = scenario(date(2027, 3, 1), days=14, sites=(SITES["ber"], SITES["muc"]))

    events = holiday_events(
        Calendar.from_ical(agent_calendar(berlin, roster([]), "BER", stamp_utc=STAMP))
    )
    bavarian = holiday_events(
        Calendar.from_ical(agent_calendar(berlin, roster([]), "MUC", stamp_utc=STAMP))
    )

    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (date(2027, 3, 8), date(2027, 3, 9))
    ]
    assert str(events[0]["summary"]).startswith("Public holiday: ")
    assert str(events[0]["transp"]) == "TRANSPARENT"
    assert bavarian == []


def test_dst_night_event_lasts_its_real_hours():
    sc = scenario(date(2027, 10, 25), sites=(SITES["dub"],))
    night = shift(sc, "DUB", date(2027, 10, 30), "night")

    (event,) = shift_events(Calendar.from_ical(agent_calendar(sc, roster([night]), "DUB")))

    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=9)
    assert "(UTC+01:00)" in str(event["description"])
    assert "(UTC+00:00)" in str(event["description"])


def test_unknown_agent_is_refused_by_name():
    sc = scenario(date(2027, 6, 7), sites=(SITES["dub"],))
    with pytest.raises(KeyError, match="'NOPE'"):
        agent_calendar(sc, roster([]), "NOPE")


def test_titles_read_as_words_when_the_shift_id_is_a_word():
    assert shift_title("early", SITES["dub"]) == "Early shift (Dublin)"
    assert shift_title("late_night", SITES["dub"]) == "Late night shift (Dublin)"
    assert shift_title("s0", SITES["dub"]) == "Shift s0 (Dublin)"
