"""The API's documentation page: Swagger UI served from this site.

Its script and stylesheet come from the ``flask-swagger-ui`` package (installed
with Sunshift, so no CDN and no third party sees who reads the docs), and the
page starts it with a script file of our own: it carries the same security
headers as every other page (no inline script, only this site's scripts).
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, abort, current_app, render_template, send_from_directory
from werkzeug.wrappers import Response

from web.api import DOCS_PATH, SPEC_PATH

SWAGGER_UI_DIR = Path(flask_swagger_ui.__file__).parent / "dist"
SWAGGER_UI_FILES = frozenset({"swagger-ui-bundle.js", "swagger-ui.css"})
"""The two files the page needs; nothing else of the package is served."""
ASSET_MAX_AGE = 24 * 3600

api_docs = Blueprint("api_docs", __name__)


@api_docs.get(DOCS_PATH)
def page() -> str:
    return render_template("api_docs.html", spec_path=SPEC_PATH, title=current_app.title)


@api_docs.get(f"{DOCS_PATH}/assets/<name>")
def asset(name: str) -> Response:
    if name not in SWAGGER_UI_FILES:
        abort(404)
    return send_from_directory(SWAGGER_UI_DIR, name, max_age=ASSET_MAX_AGE)
