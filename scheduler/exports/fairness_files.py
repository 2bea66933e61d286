"""The fairness report (``scheduler.fairness``) as files for HR: the agents as CSV,
the groups' spreads as CSV, and one workbook with both and each language's shares
by site. Text cells stay text, as in the hours exports (same columns machinery)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openpyxl import Workbook

from scheduler.exports.spreadsheets import HOURS_FORMAT, Column, _csv, _fill
from scheduler.fairness import MEASURE_TITLES, MEASURES, FairnessReport, Group, Spread

SHARE_FORMAT = "0.0%"
CV_FORMAT = "0.00"

AGENT_COLUMNS: tuple[Column, ...] = (
    Column("site", "Site", lambda a: a.site_id),
    Column("agent_id", "Agent ID", lambda a: a.agent_id),
    Column("agent_name", "Agent", lambda a: a.agent_name),
    Column("languages", "Languages", lambda a: " ".join(a.languages)),
    Column("contract_hours", "Contract hours a week", lambda a: a.contract_hours, HOURS_FORMAT),
    Column("shifts", "Shifts", lambda a: a.shifts, "0"),
    Column("worked_hours", "Worked hours", lambda a: a.worked_hours, HOURS_FORMAT),
    *(Column(m, MEASURE_TITLES[m], lambda a, m=m: getattr(a, m), HOURS_FORMAT) for m in MEASURES),
)


@dataclass(frozen=True)
class _SpreadLine:
    group: Group
    spread: Spread


SPREAD_COLUMNS: tuple[Column, ...] = (
    Column("group", "Group", lambda r: r.group.kind),
    Column("key", "Site or language", lambda r: r.group.key),
    Column("name", "Name", lambda r: r.group.label),
    Column("measure", "Measure", lambda r: r.spread.measure),
    Column("agents", "Agents", lambda r: r.spread.agents, "0"),
    Column("total", "Total hours", lambda r: r.spread.total, HOURS_FORMAT),
    Column("mean", "Mean hours", lambda r: r.spread.mean, HOURS_FORMAT),
    Column("min", "Min hours", lambda r: r.spread.minimum, HOURS_FORMAT),
    Column("max", "Max hours", lambda r: r.spread.maximum, HOURS_FORMAT),
    Column("range", "Max - min", lambda r: r.spread.range, HOURS_FORMAT),
    Column("cv", "Coefficient of variation", lambda r: r.spread.cv, CV_FORMAT),
)

SHARE_COLUMNS: tuple[Column, ...] = (
    Column("language", "Language", lambda s: s.language),
    Column("site", "Site", lambda s: s.site_id),
    Column("site_name", "Site name", lambda s: s.site_name),
    Column("speakers", "Speakers", lambda s: s.speakers, "0"),
    Column("speaker_share", "Share of speakers", lambda s: s.speaker_share, SHARE_FORMAT),
    *(
        column
        for index, m in enumerate(MEASURES)
        for column in (
            Column(m, MEASURE_TITLES[m], lambda s, i=index: s.hours[i], HOURS_FORMAT),
            Column(
                f"{m}_share",
                f"Share of {MEASURE_TITLES[m].lower()}",
                lambda s, i=index: s.shares[i],
                SHARE_FORMAT,
            ),
        )
    ),
)


def fairness_agents_csv(report: FairnessReport) -> str:
    """One row per agent: his period's worked, night, weekend and holiday hours."""
    return _csv(AGENT_COLUMNS, report.agents)


def fairness_groups_csv(report: FairnessReport) -> str:
    """One row per group (site, then language) and measure: total, mean, min, max,
    range and coefficient of variation (empty when every value is 0)."""
    return _csv(SPREAD_COLUMNS, _spread_lines(report.by_site + report.by_language))


def fairness_xlsx(report: FairnessReport) -> bytes:
    """Sheets "Agents", "By site", "By language" and "Language by site"."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _fill(workbook.create_sheet("Agents"), AGENT_COLUMNS, report.agents)
    _fill(workbook.create_sheet("By site"), SPREAD_COLUMNS, _spread_lines(report.by_site))
    _fill(workbook.create_sheet("By language"), SPREAD_COLUMNS, _spread_lines(report.by_language))
    _fill(workbook.create_sheet("Language by site"), SHARE_COLUMNS, report.language_sites)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _spread_lines(groups: Iterable[Group]) -> Iterator[_SpreadLine]:
    for group in groups:
        for spread in group.spreads:
            yield _SpreadLine(group, spread)
