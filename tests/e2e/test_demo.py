"""`make demo`'s preparation on a fresh SQLite database: the bundled scenario is
imported, solved as a background job, checked, published and written out."""

import re

from click.testing import CliRunner

from config.settings import DEMO_SCENARIO_DIR
from scheduler.cli import main
from scheduler.demo import demo_token, prepare_demo
from scheduler.storage.db import make_engine, session_factory
from scheduler.storage.migrate import upgrade_database
from web.app import create_service_app


def test_demo_is_imported_solved_published_and_served(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade_database(url)
    sessions = session_factory(make_engine(url))
    period_id, version_id = prepare_demo(sessions, tmp_path / "roster", time_limit_seconds=2)
    assert version_id is not None
    checked = CliRunner().invoke(main, ["check", str(DEMO_SCENARIO_DIR), str(tmp_path / "roster")])
    assert checked.exit_code == 0, checked.output

    client = create_service_app(url, testing=True).test_client()
    token = demo_token(sessions)
    signed_in = client.post(
        "/login",
        data={"name": "planner", "password": "sunshift-planner", "csrf_token": _csrf(client)},
    )
    assert signed_in.status_code == 302
    page = client.get(f"/rosters/{version_id}").get_data(as_text=True)
    assert "Where coverage falls short" in page and "Coverage heatmap" in page
    period = client.get(
        f"/api/v1/periods/{period_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert period.status_code == 200
    assert period.get_json()["published_version_id"] == version_id
    assert client.get("/healthz").get_json() == {"status": "ok"}

    # a second `make demo` re-imports into the same period instead of adding one
    again, _ = prepare_demo(sessions, tmp_path / "roster", time_limit_seconds=2)
    assert again == period_id


def _csrf(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
