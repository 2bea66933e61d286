"""An agent's shifts as an iCalendar feed their phone or mail client can subscribe to.

Each shift's UID depends only on (agent, local date, shift id), so publishing a
re-solved roster updates the events a client already has instead of adding
duplicates. Times are written as UTC instants, which every client shows in its
own zone correctly; the description repeats the site's local times with offsets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from calendars.public_holidays import site_holidays
from calendars.zones import iso_local
from scheduler.domain import Agent, Assignment, Roster, Scenario, Site
from scheduler.exports.hours import hours

PRODUCT_ID = "-//Sunshift//Shift roster//EN"
UID_DOMAIN = "sunshift"


def agent_calendar(
    scenario: Scenario,
    roster: Roster,
    agent_id: str,
    calendar_name: str | None = None,
    *,
    stamp_utc: datetime | None = None,
) -> bytes:
    """The .ics bytes of ``agent_id``'s shifts plus his site's public holidays in the horizon.

    ``stamp_utc`` is the DTSTAMP of every event (when the feed was made); pass it
    for byte-identical output, otherwise now is used. Raises KeyError for an
    agent the scenario does not have.
    """
    if agent_id not in scenario.agents_by_id:
        raise KeyError(f"no agent {agent_id!r} in scenario {scenario.name!r}")
    agent = scenario.agent(agent_id)
    site = scenario.site_of(agent)
    stamp = (stamp_utc or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name or f"Shifts of {agent.name} ({site.name})")
    calendar.add("x-wr-timezone", site.timezone)
    shifts = sorted(
        (a for a in roster.assignments if a.agent_id == agent_id),
        key=lambda a: (a.start_utc, a.shift_id),
    )
    for shift in shifts:
        calendar.add_component(_shift_event(shift, agent, site, stamp))
    for day, name in _horizon_holidays(scenario, site):
        calendar.add_component(_holiday_event(day, name, site, stamp))
    return calendar.to_ical()


def shift_uid(agent_id: str, day: date, shift_id: str) -> str:
    """Stable per (agent, local date, shift): the same shift keeps its event across exports."""
    return f"shift-{agent_id}-{day.isoformat()}-{shift_id}@{UID_DOMAIN}"


def shift_title(shift_id: str, site: Site) -> str:
    """ "Early shift (Dublin)" for word-like ids, "Shift s0 (Dublin)" for codes."""
    words = shift_id.replace("_", " ").replace("-", " ").strip()
    if words.replace(" ", "").isalpha():
        return f"{words.capitalize()} shift ({site.name})"
    return f"Shift {shift_id} ({site.name})"


def _shift_event(shift: Assignment, agent: Agent, site: Site, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", shift_uid(agent.id, shift.date, shift.shift_id))
    event.add("dtstamp", stamp)
    event.add("dtstart", shift.start_utc.astimezone(UTC))
    event.add("dtend", shift.end_utc.astimezone(UTC))
    event.add("summary", shift_title(shift.shift_id, site))
    event.add("location", site.name)
    event.add("description", _shift_description(shift, site))
    event.add("categories", ["Shift"])
    event.add("transp", "OPAQUE")
    return event


def _shift_description(shift: Assignment, site: Site) -> str:
    length = hours(shift.end_utc - shift.start_utc)
    return (
        f"Shift {shift.shift_id} at {site.name}, {length:g} h.\n"
        f"Local time ({site.timezone}): {_local_text(shift.start_local)} "
        f"to {_local_text(shift.end_local)}."
    )


def _local_text(local: datetime) -> str:
    """ "Tue 2027-06-08 07:00 (UTC+01:00)": the wall clock and the offset it was on."""
    return f"{local:%a %Y-%m-%d %H:%M} (UTC{iso_local(local)[-6:]})"


def _holiday_event(day: date, name: str, site: Site, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"holiday-{site.id}-{day.isoformat()}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Public holiday: {name}")
    event.add("location", site.name)
    event.add("categories", ["Holiday"])
    event.add("transp", "TRANSPARENT")
    return event


def _horizon_holidays(scenario: Scenario, site: Site) -> list[tuple[date, str]]:
    dates = scenario.horizon.dates
    years = {day.year for day in dates}
    found = site_holidays(site.country, site.subdivision, years, site.extra_holidays)
    return sorted((day, name) for day, name in found.items() if dates[0] <= day <= dates[-1])
