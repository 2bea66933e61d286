"""CPU cost of one request per route, in process, on the load test's 200-agent period.

    python bench/load/profile_routes.py                   # CPU ms per route
    python bench/load/profile_routes.py --profile /me     # and a cProfile of that route
    python bench/load/profile_routes.py --schema load_x   # reuse a --keep-schema fixture

It measures CPU time (``time.process_time``), not wall time: the machine is shared, so
wall time says more about the neighbours than about the code. The period, users and
drafts are made as bench/load/run.py makes them (in a fresh PostgreSQL schema, dropped
at the end unless ``--keep-schema``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DEFAULT_DATABASE, prepare  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE", DEFAULT_DATABASE))
    parser.add_argument("--schema", help="reuse this schema (made with --keep-schema)")
    parser.add_argument("--keep-schema", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="append", default=[], help="route to cProfile")
    parser.add_argument("--planners", action="store_true", help="also the planners' routes")
    parser.add_argument("--only", action="append", default=[], help="measure only this route")
    parser.add_argument("--sort", default="tottime", help="cProfile order (tottime, cumulative)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/sunshift-profile"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    admin = create_engine(args.database)
    schema = args.schema or f"load_{uuid.uuid4().hex[:10]}"
    if not args.schema:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(args.database)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        fixture_file = args.out / f"{schema}.json"
        if args.schema:
            fixture = json.loads(fixture_file.read_text())
        else:
            fixture = prepare(url, args.out)
            fixture_file.write_text(json.dumps(fixture))
        print(f"schema {schema}")
        measure(
            url, fixture, args.repeat, args.profile, args.planners, args.only, args.sort, args.out
        )
    finally:
        if not (args.keep_schema or args.schema):
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


def measure(
    url: str,
    fixture: dict,
    repeat: int,
    profiled: list[str],
    planners: bool = False,
    only: list[str] | None = None,
    sort: str = "tottime",
    out: Path | None = None,
) -> None:
    os.environ["SUNSHIFT_TODAY"] = fixture["today"]
    from scheduler.services import edit_basis
    from web.app import create_service_app

    app = create_service_app(url)
    agents = fixture["agents"]

    def sign_in(client, user: dict) -> None:
        page = client.get("/login")
        token = CSRF.search(page.get_data(as_text=True)).group(1)
        answer = client.post(
            "/login", data={"csrf_token": token, "name": user["name"], "password": user["password"]}
        )
        assert answer.status_code == 302, answer.status_code

    clients = []
    for agent in agents[:repeat]:
        client = app.test_client()
        sign_in(client, agent)
        clients.append((client, agent))
    routes = {
        "/me": lambda c, a: c.get("/me"),
        "/ical": lambda c, a: c.get(f"/ical/{a['feed']}.ics"),
        "/api/v1/me/shifts": lambda c, a: c.get(
            "/api/v1/me/shifts", headers={"Authorization": f"Bearer {a['token']}"}
        ),
        "/login": lambda c, a: c.get("/login"),
        "/login [POST]": lambda c, a: sign_in(app.test_client(), a),
    }
    planner = fixture["planners"][0]
    boss = app.test_client()
    sign_in(boss, planner)
    bearer = {"Authorization": f"Bearer {planner['token']}"}
    published, draft = fixture["published"], planner["draft"]
    code = fixture["agent_codes"][5]
    shifts = boss.get(f"/api/v1/rosters/{draft}?per_page=200", headers=bearer).get_json()
    movable = [a for a in shifts["assignments"] if not a["locked"]]

    def edit(_client, _agent, before_each=lambda: None):
        """Remove a shift of the draft and add it back (what a planner user does)."""
        shift = movable.pop()
        before_each()
        removed = boss.delete(f"/api/v1/assignments/{shift['id']}", headers=bearer)
        if removed.status_code == 422:
            return None
        body = {k: shift[k] for k in ("agent_id", "date", "shift")} | {"locked": False}
        before_each()
        added = boss.post(f"/api/v1/rosters/{draft}/assignments", headers=bearer, json=body)
        assert added.status_code == 201, added.get_json()
        movable.insert(0, shift | {"id": added.get_json()["assignment"]["id"]})
        return None

    planner_routes = {
        "/periods": lambda c, a: boss.get("/periods"),
        "/periods/[id]": lambda c, a: boss.get(f"/periods/{fixture['period_id']}"),
        "/rosters/[id]": lambda c, a: boss.get(f"/rosters/{published}"),
        "/rosters/[id]?language": lambda c, a: boss.get(f"/rosters/{published}?language=de"),
        "/rosters/[id]/grid": lambda c, a: boss.get(f"/rosters/{draft}/grid"),
        "/rosters/[id]/agents/[code]": lambda c, a: boss.get(f"/rosters/{draft}/agents/{code}"),
        "edit (remove + add)": edit,
        # the draft last edited by another process: its state is read from the database
        "edit, draft not kept": lambda c, a: edit(c, a, lambda: edit_basis.forget(drafts=True)),
        # a process's first edit of the period: nothing kept
        "edit, nothing kept": lambda c, a: edit(c, a, edit_basis.forget),
    }
    if planners:
        routes |= planner_routes
    for name, call in routes.items():
        if only and name not in only:
            continue
        runs = clients if name not in planner_routes else clients[:5]
        for client, agent in runs[:2]:  # warm up: first use of templates, caches
            call(client, agent)
        profile = cProfile.Profile() if name in profiled else None
        for visit in ("first", "again"):  # again: what is kept per version is reused
            started = time.process_time()
            if profile and visit == "again":
                profile.enable()
            for client, agent in runs:
                answer = call(client, agent)
                if answer is not None:
                    assert answer.status_code == 200, (name, answer.status_code)
            if profile:
                profile.disable()
            cpu = (time.process_time() - started) / len(runs) * 1000
            print(f"{name:28} {visit:5} {cpu:7.1f} ms CPU a request ({len(runs)} runs)")
        if profile:
            if out is not None:
                profile.dump_stats(out / (re.sub(r"\W+", "_", name).strip("_") + ".prof"))
            pstats.Stats(profile).sort_stats(sort).print_stats(25)


if __name__ == "__main__":
    sys.exit(main())
