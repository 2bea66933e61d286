"""The period page's "what moves when clocks change" section, worded for planners:
``scheduler.handoffs`` computes it, this module only turns it into lines of text
(local dates, offsets as UTC+01:00, UTC times of day)."""

from __future__ import annotations

from typing import Any

from scheduler.domain import Scenario
from scheduler.handoffs import Span, format_minutes, format_range, transitions
from web.summary import format_offset


def handoff_sections(scenario: Scenario) -> list[dict[str, Any]]:
    """One entry per transition of the horizon: who changes clocks, which shifts move,
    and per language the UTC times gained and lost."""
    sites = scenario.sites_by_id
    sections = []
    for transition in transitions(scenario):
        first = transition.changes[0]
        until = transition.regime_after[1]
        sections.append(
            {
                "title": first.local_date.strftime("%a %d %b %Y"),
                "changes": [
                    {
                        "site": c.site_name,
                        "zone": c.timezone,
                        "date": c.local_date.strftime("%a %d %b"),
                        "at": c.at_utc.strftime("%d %b %H:%M UTC"),
                        "before": f"UTC{format_offset(c.offset_before)}",
                        "after": f"UTC{format_offset(c.offset_after)}",
                        "earlier": c.offset_after > c.offset_before,
                    }
                    for c in transition.changes
                ],
                "until": until.strftime("%d %b %H:%M UTC"),
                "to_end": until == scenario.horizon.end_utc,
                "moves": [
                    {
                        "site": sites[m.site_id].name,
                        "shift": m.shift_id,
                        "local": m.local_start.strftime("%H:%M"),
                        "before": format_minutes(m.utc_start_before),
                        "after": format_minutes(m.utc_start_after),
                    }
                    for m in transition.moves
                ],
                "languages": [
                    {
                        "code": lang.language,
                        "hours": [format_range(*r) for r in lang.ranges],
                        "gained": [_span_text(s, sites) for s in lang.gained],
                        "lost": [_span_text(s, sites) for s in lang.lost],
                    }
                    for lang in transition.languages
                ],
            }
        )
    return sections


def _span_text(span: Span, sites: dict[str, Any]) -> str:
    who = "speaker" if span.speakers == 1 else "speakers"
    return (
        f"{format_range(span.start, span.end)} {sites[span.site_id].name} {span.shift_id} "
        f"({span.speakers} {who})"
    )
