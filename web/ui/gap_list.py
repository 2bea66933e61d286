"""The roster page's gap list as a planner works with it: filtered by language, kind
and reason, sorted by any of its columns and paged, all from plain GET query
parameters so every state is a link (no script needed, bookmarkable).

The parameters carry a ``gap_`` prefix so they live beside the heatmap's own
``language`` on the same page:

- ``gap_language``, ``gap_kind``, ``gap_reason``: keep only gaps with that value
  (empty or unknown: all);
- ``gap_sort``: ``start``, ``language``, ``missing``, ``unavoidable`` or ``kind``
  (default ``missing``), ``gap_order``: ``asc`` or ``desc`` (default: largest
  first for the counts, earliest or A→Z for the others);
- ``gap_page``: 1-based, clamped to the pages there are.

Ties keep a stable order: by start, then language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scheduler.gaps import Gap

GAPS_PER_PAGE = 50

KIND_ORDER = {"unavoidable": 0, "partly unavoidable": 1, "traded": 2}
SORT_KEYS: dict[str, Callable[[Gap], Any]] = {
    "start": lambda g: g.start_utc,
    "language": lambda g: g.language,
    "missing": lambda g: g.missing_agent_intervals,
    "unavoidable": lambda g: g.unavoidable_agent_intervals,
    "kind": lambda g: KIND_ORDER.get(g.kind, len(KIND_ORDER)),
}
DEFAULT_SORT = "missing"
DESCENDING_FIRST = frozenset({"missing", "unavoidable"})
"""Columns whose first click sorts largest first; the others sort ascending first."""
SORT_LABELS = {
    "start": "start (its UTC instant)",
    "language": "language",
    "missing": "missing agent-intervals",
    "unavoidable": "unavoidable agent-intervals",
    "kind": "kind",
}


@dataclass(frozen=True)
class GapQuery:
    """What the planner asked for, cleaned: unknown values fall back to the default."""

    language: str = ""
    kind: str = ""
    reason: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = True
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> GapQuery:
        sort = args.get("gap_sort", DEFAULT_SORT)
        if sort not in SORT_KEYS:
            sort = DEFAULT_SORT
        order = args.get("gap_order", "")
        descending = order == "desc" if order in ("asc", "desc") else sort in DESCENDING_FIRST
        try:
            page = max(1, int(args.get("gap_page", "1")))
        except ValueError:
            page = 1
        return cls(
            language=args.get("gap_language", ""),
            kind=args.get("gap_kind", ""),
            reason=args.get("gap_reason", ""),
            sort=sort,
            descending=descending,
            page=page,
        )

    @property
    def order(self) -> str:
        return "desc" if self.descending else "asc"

    def params(self, **changed: Any) -> dict[str, Any]:
        """The query parameters of this state with ``changed`` ones replaced (keys without
        the ``gap_`` prefix), leaving out what is at its default so links stay short."""
        values = {
            "language": self.language,
            "kind": self.kind,
            "reason": self.reason,
            "sort": self.sort,
            "order": self.order,
            "page": self.page,
        } | changed
        defaults = {
            "language": "",
            "kind": "",
            "reason": "",
            "sort": DEFAULT_SORT,
            "order": "desc" if values["sort"] in DESCENDING_FIRST else "asc",
            "page": 1,
        }
        return {f"gap_{k}": v for k, v in values.items() if v != defaults[k]}

    def sorted_by(self, column: str) -> dict[str, Any]:
        """The change a column header's link makes: sort by it (its natural order
        first), or reverse the order when it is the column sorted by now; page 1."""
        if column == self.sort:
            order = "asc" if self.descending else "desc"
        else:
            order = "desc" if column in DESCENDING_FIRST else "asc"
        return {"sort": column, "order": order, "page": 1}

    def aria_sort(self, column: str) -> str | None:
        """The header's ``aria-sort`` (only the sorted column carries one)."""
        if column != self.sort:
            return None
        return "descending" if self.descending else "ascending"

    def described(self) -> str:
        """ "missing agent-intervals, largest first": the order in words."""
        numeric = self.sort in DESCENDING_FIRST
        if self.sort == "start":
            words = "latest first" if self.descending else "earliest first"
        elif self.sort == "kind":
            words = "traded first" if self.descending else "unavoidable first"
        elif numeric:
            words = "largest first" if self.descending else "smallest first"
        else:
            words = "Z to A" if self.descending else "A to Z"
        return f"{SORT_LABELS[self.sort]}, {words}"


@dataclass(frozen=True)
class GapPage:
    """One page of the filtered, sorted gaps, and what the filters may choose from."""

    query: GapQuery
    gaps: list[Gap]
    matching: int
    total: int
    page: int
    pages: int
    first: int
    """1-based position of the page's first row among the matching ones (0 when none)."""
    languages: list[str]
    kinds: list[str]
    reasons: list[str]

    @property
    def last(self) -> int:
        """1-based position of the page's last row (0 when none)."""
        return self.first + len(self.gaps) - 1 if self.gaps else 0


def gap_page(gaps: Sequence[Gap], query: GapQuery, per_page: int = GAPS_PER_PAGE) -> GapPage:
    """Filter, sort and cut one page out of ``gaps`` (a version's stored gaps)."""
    matching = [
        g
        for g in gaps
        if (not query.language or g.language == query.language)
        and (not query.kind or g.kind == query.kind)
        and (not query.reason or g.reason == query.reason)
    ]
    matching.sort(key=lambda g: (g.start_utc, g.language))
    matching.sort(key=SORT_KEYS[query.sort], reverse=query.descending)
    pages = max(1, -(-len(matching) // per_page))
    page = min(query.page, pages)
    shown = matching[(page - 1) * per_page : page * per_page]
    return GapPage(
        query=query,
        gaps=shown,
        matching=len(matching),
        total=len(gaps),
        page=page,
        pages=pages,
        first=(page - 1) * per_page + 1 if shown else 0,
        languages=sorted({g.language for g in gaps}),
        kinds=sorted({g.kind for g in gaps}, key=lambda k: KIND_ORDER.get(k, len(KIND_ORDER))),
        reasons=sorted({g.reason for g in gaps}),
    )
