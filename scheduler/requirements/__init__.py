"""Forecast volumes -> agents needed per interval and language (pure, no files).

``compute_requirements(scenario)`` is what the solver and the checker call;
``project(scenario, staffed)`` turns a staffing back into service levels, and
``describe_shortfalls`` into planner phrases. ``export.write_requirements``
is the one function here that writes files.
"""

from scheduler.requirements.projection import Projection, describe_shortfalls, project
from scheduler.requirements.table import RequirementTable, compute_requirements

__all__ = [
    "Projection",
    "RequirementTable",
    "compute_requirements",
    "describe_shortfalls",
    "project",
]
