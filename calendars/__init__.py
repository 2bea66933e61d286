"""Time zones and public holidays: the only place that knows about DST and calendars."""
