"""Scenario folders -> validated domain objects ("import" is a keyword, hence the name).

``load_scenario`` either returns a complete ``Scenario`` or raises
``ScenarioErrors`` listing every mistake in every file, each with its file,
line, field, value and what was expected.
"""

from scheduler.imports.errors import InputError, ScenarioErrors
from scheduler.imports.loader import ScenarioImport, load_scenario, read_scenario

__all__ = ["InputError", "ScenarioErrors", "ScenarioImport", "load_scenario", "read_scenario"]
