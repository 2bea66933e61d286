"""Roster exports for payroll and agents: weekly hours by pay category, CSV/XLSX, iCalendar.

Pure functions from (scenario, roster) to rows, text or bytes; serving them is
the web layer's job.
"""

from scheduler.exports.hours import AgentTotals, HolidayHours, WeekHours, agent_totals, worked_hours
from scheduler.exports.ical import agent_calendar, shift_uid
from scheduler.exports.spreadsheets import (
    RosterCover,
    hours_csv,
    hours_xlsx,
    protect_csv,
    shifts_csv,
)

__all__ = [
    "AgentTotals",
    "HolidayHours",
    "RosterCover",
    "WeekHours",
    "agent_calendar",
    "agent_totals",
    "hours_csv",
    "hours_xlsx",
    "protect_csv",
    "shift_uid",
    "shifts_csv",
    "worked_hours",
]
