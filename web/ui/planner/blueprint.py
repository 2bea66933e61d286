"""The planner pages' blueprint and how a refusal from the services reads on them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash

from scheduler import services

planner = Blueprint("planner", __name__)

RULE_NAMES = {
    "one_shift_per_date": "one shift a day",
    "min_rest": "rest between shifts",
    "max_consecutive_days": "days in a row",
    "days_off": "days off a week",
    "weekly_hours": "hours a week",
    "start_time_spread": "start times in a week",
    "time_off": "time off",
    "public_holiday": "no work on public holidays",
    "unknown_shift": "shifts the agent may work",
    "wrong_site": "the agent's own site",
    "horizon": "the planning period's dates",
}
"""Checker rule codes as a planner reads them (the code stays in brackets for support)."""
RULES_SHOWN = 10


def flash_refusal(prefix: str, problem: services.InvalidInput | services.Conflict) -> None:
    """ "Not published: …" and, for a broken rule, each violation in words."""
    flash(f"{prefix}: {problem}", "error")
    for item in getattr(problem, "errors", [])[:RULES_SHOWN]:
        flash(rule_text(item), "error")


def rule_text(item: dict[str, Any]) -> str:
    """A broken rule in words: "A0001 2027-03-22: rest between shifts: only 3 h between
    shifts (min_rest)", from the violation's structured fields (``violation_dict``);
    other errors as the service wrote them."""
    rule = item.get("rule") or ""
    if rule not in RULE_NAMES or "detail" not in item:
        return str(item.get("message", item))
    where = " ".join(part for part in (item.get("agent_id"), item.get("date")) if part)
    return f"{where + ': ' if where else ''}{RULE_NAMES[rule]}: {item['detail']} ({rule})"
