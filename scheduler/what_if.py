"""What a hire or a new skill would change: solve a scenario, change its agents,
solve again from the first roster, and say how shortfall and its bound move.

The changed scenario is the original folder with agents.csv rewritten (new rows
for hires, a language added to a taught agent; every other file and column as it
was), so both folders, and both rosters, can be checked by anyone. Adding agents
or languages keeps every old roster valid, so the second solve starts from the
first roster and the search never makes it worse on (floor gaps, shortfall).
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from scheduler.imports.loader import AGENTS_FILE, find_file


class WhatIfError(ValueError):
    """A change that cannot be read or does not fit the scenario."""


@dataclass(frozen=True)
class AddAgents:
    site: str
    languages: tuple[str, ...]
    hours: float
    count: int

    @classmethod
    def parse(cls, text: str) -> AddAgents:
        """``SITE:LANGS:HOURS:COUNT``, languages separated by ``;`` or ``+``."""
        parts = text.split(":")
        if len(parts) != 4:
            raise WhatIfError(f"--add-agents {text!r}: expected SITE:LANGS:HOURS:COUNT")
        site, languages, hours, count = parts
        try:
            hours_value, count_value = float(hours), int(count)
        except ValueError:
            raise WhatIfError(f"--add-agents {text!r}: HOURS and COUNT must be numbers") from None
        codes = tuple(x.strip() for x in languages.replace("+", ";").split(";") if x.strip())
        if not site or not codes or count_value < 1 or not 0 < hours_value <= 168:
            raise WhatIfError(
                f"--add-agents {text!r}: a site, at least one language, 0 < HOURS <= 168 "
                "and COUNT >= 1"
            )
        return cls(site, codes, hours_value, count_value)


@dataclass(frozen=True)
class Teach:
    agent_id: str
    language: str

    @classmethod
    def parse(cls, text: str) -> Teach:
        """``AGENT_ID:LANG``."""
        agent_id, _, language = text.rpartition(":")
        if not agent_id or not language:
            raise WhatIfError(f"--teach {text!r}: expected AGENT_ID:LANG")
        return cls(agent_id, language.strip())


def write_changed_scenario(
    source: Path, target: Path, hires: list[AddAgents], teach: list[Teach]
) -> list[str]:
    """Copy the scenario folder to ``target`` with its agents changed; the new
    agents' ids."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    path = find_file(target, AGENTS_FILE)
    if path is None:
        raise WhatIfError(f"{source} has no {AGENTS_FILE}")
    text = path.read_bytes().decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    columns = list(rows[0]) if rows else ["id", "name", "site", "languages", "hours_per_week"]
    by_id = {row.get("id", "").strip(): row for row in rows}
    for change in teach:
        row = by_id.get(change.agent_id)
        if row is None:
            raise WhatIfError(f"--teach: no agent {change.agent_id!r} in {AGENTS_FILE}")
        spoken = [x.strip() for x in row["languages"].replace(",", ";").split(";") if x.strip()]
        if change.language not in spoken:
            row["languages"] = ";".join([*spoken, change.language])
    added = []
    for hire in hires:
        for k in range(hire.count):
            number = len(added) + 1
            agent_id = f"WHATIF-{hire.site}-{number:03d}"
            while agent_id in by_id:
                number += 1000
                agent_id = f"WHATIF-{hire.site}-{number:03d}"
            row = dict.fromkeys(columns, "")
            row |= {
                "id": agent_id,
                "name": f"New hire {k + 1} at {hire.site}",
                "site": hire.site,
                "languages": ";".join(hire.languages),
                "hours_per_week": f"{hire.hours:g}",
            }
            rows.append(row)
            by_id[agent_id] = row
            added.append(agent_id)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, dialect=dialect, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return added


def figures(summary: dict) -> dict:
    return {key: summary.get(key) for key in ("shortfall", "bound", "floor_gaps", "status")}
