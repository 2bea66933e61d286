"""Issue 13, finding 9: views build no SQL; they read through ``web/api/queries.py``,
the one query module the pages and the JSON API share (docs/web.md, *Where the code
is*), and change data only through ``scheduler.services``."""

from __future__ import annotations

import ast
from pathlib import Path

import web.ui

UI = Path(web.ui.__file__).parent


def test_no_page_module_imports_sqlalchemy():
    building = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.split(".")[0] == "sqlalchemy" for name in names):
                building.append(f"{path.relative_to(UI.parent.parent)}:{node.lineno}")
    assert building == [], "queries belong in web/api/queries.py"
