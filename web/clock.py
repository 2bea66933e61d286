"""The date the pages and the calendar feed take as today.

Normally the real date. ``SUNSHIFT_TODAY=2027-03-15`` (or the app setting of the
same name) pins it: a demo or a test whose scenario lies in another year still
shows its shifts as upcoming, whatever the year it runs in.
"""

from __future__ import annotations

import os
from datetime import date

from flask import current_app

TODAY_SETTING = "SUNSHIFT_TODAY"


def today() -> date:
    pinned = current_app.config.get(TODAY_SETTING) or os.environ.get(TODAY_SETTING)
    if isinstance(pinned, date):
        return pinned
    return date.fromisoformat(pinned) if pinned else date.today()
