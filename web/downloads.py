"""File responses shared by the API and the pages: media types and the download."""

from __future__ import annotations

import re

from flask import Response

from scheduler.exports.files import EXCEL_BOM

__all__ = ["CSV_TYPE", "EXCEL_BOM", "ICS_TYPE", "XLSX_TYPE", "download", "file_stem"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
ICS_TYPE = "text/calendar; charset=utf-8"


def file_stem(period_name: str, roster_number: int, what: str) -> str:
    """``support-april-roster-3-hours``: which period and roster a saved file holds, in
    the words the pages use (the period's name, the roster's number)."""
    slug = re.sub(r"[^a-z0-9]+", "-", period_name.lower()).strip("-")[:60] or "period"
    return f"{slug}-roster-{roster_number}-{what}"


def download(
    body: str | bytes, media_type: str, filename: str, *, inline: bool = False, **headers: str
) -> Response:
    """``body`` as a file named ``filename``: saved by the browser, or shown when ``inline``
    (a calendar client reading a feed). Extra headers by keyword, e.g. Cache_Control."""
    disposition = "inline" if inline else "attachment"
    extra = {name.replace("_", "-"): value for name, value in headers.items()}
    return Response(
        body,
        content_type=media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"', **extra},
    )
