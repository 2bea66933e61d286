"""Domain scenarios and rosters into the database and back, under their historical
names. The code lives in the two mappers: ``scheduler.storage.period_mapper``
(``from_domain``/``to_domain`` of a ``Scenario``) and
``scheduler.storage.roster_mapper`` (``from_domain``/``to_domain`` of a ``Roster``,
``replace_results``, ``load_gaps``); these names stay for the code that uses them.
"""

from __future__ import annotations

from scheduler.storage import period_mapper, roster_mapper
from scheduler.storage.mapping import BULK_CHUNK, NotFound, StoreError, bulk_insert
from scheduler.storage.period_mapper import refresh_data_hash, scenario_hash
from scheduler.storage.roster_mapper import load_gaps

import_scenario = period_mapper.from_domain
load_period_scenario = period_mapper.to_domain
save_roster = roster_mapper.from_domain
replace_roster_results = roster_mapper.replace_results
load_roster = roster_mapper.to_domain

__all__ = [
    "BULK_CHUNK",
    "NotFound",
    "StoreError",
    "bulk_insert",
    "import_scenario",
    "load_gaps",
    "load_period_scenario",
    "load_roster",
    "refresh_data_hash",
    "replace_roster_results",
    "save_roster",
    "scenario_hash",
]
