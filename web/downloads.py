"""File responses shared by the API and the pages: media types and the download."""

from __future__ import annotations

from flask import Response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
ICS_TYPE = "text/calendar; charset=utf-8"


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
