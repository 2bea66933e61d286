"""Who may open which page, CSRF, sign-in and the headers every page carries.

Role and sign-in tests run on SQLite and on PostgreSQL (``any_backend``); tests
that try to change something without a CSRF token use a database of their own,
so a failure cannot leak into other tests.
"""

from __future__ import annotations

import io
import json
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.passwords import check_password
from tests.web.conftest import PASSWORDS, Demo, Served, signed_in_client
from tests.web.page_tools import csrf_token, flash_messages, location, page, sign_in, submit
from web.app import create_service_app
from web.ui.security import SECURITY_HEADERS

PLANNER_PAGES = (
    "/periods",
    "/periods/{period}",
    "/jobs/{job}",
    "/jobs/{job}/progress",
    "/rosters/{published}",
    "/rosters/{published}/grid",
    "/rosters/{published}/agents/A0001",
)
HR_PAGES = (
    "/exports",
    "/exports/{published}",
    "/exports/{published}/hours.xlsx",
    "/exports/{published}/hours.csv",
    "/exports/{published}/shifts.csv",
)
AGENT_PAGES = ("/me", "/me/shifts.ics")
ALL_PAGES = PLANNER_PAGES + HR_PAGES + AGENT_PAGES
DRAFT_EXPORTS = (
    "/exports/{draft}",
    "/exports/{draft}/hours.xlsx",
    "/exports/{draft}/hours.csv",
    "/exports/{draft}/shifts.csv",
)


def fill(pattern: str, demo: Demo) -> str:
    return pattern.format(
        period=demo.period_id, job=demo.job_id, published=demo.published_id, draft=demo.draft_id
    )


# --- signed out ------------------------------------------------------------------------------


def test_signed_out_visitor_is_sent_to_sign_in(any_backend: tuple[Flask, Demo]):
    app, demo = any_backend
    client = app.test_client()
    wrong = {}
    for pattern in ALL_PAGES:
        path = fill(pattern, demo)
        answer = client.get(path)
        target = urlsplit(location(answer))
        if (
            answer.status_code != 302
            or target.path != "/login"
            or parse_qs(target.query).get("next") != [path]
        ):
            wrong[path] = (answer.status_code, location(answer))
    assert not wrong, f"pages open to a signed-out visitor: {wrong}"


def test_sign_in_from_a_protected_page_lands_on_it(any_backend: tuple[Flask, Demo]):
    app, demo = any_backend
    client = app.test_client()
    wanted = f"/rosters/{demo.published_id}/grid"
    login_page = location(client.get(wanted))
    typed = {"name": "planner", "password": PASSWORDS["planner"]}
    answer = submit(client, login_page, "/login", typed)
    assert answer.status_code == 302
    assert location(answer) == wanted
    assert client.get(wanted).status_code == 200


# --- roles ----------------------------------------------------------------------------------


def not_forbidden(client: FlaskClient, demo: Demo, patterns) -> dict[str, str]:
    """Paths of ``patterns`` that did not answer the HTML 403 page, with what they answered."""
    wrong = {}
    for pattern in patterns:
        path = fill(pattern, demo)
        answer = client.get(path)
        if answer.status_code != 403 or answer.mimetype != "text/html":
            wrong[path] = f"{answer.status_code} {answer.mimetype}"
            continue
        shown = page(answer)
        if shown.find(cls="status-code").text != "403" or "access" not in shown.find("h1").text:
            wrong[path] = "403 without the 403 page"
    return wrong


def test_agent_gets_the_403_page_on_planner_and_hr_pages(any_backend, signed_in):
    app, demo = any_backend
    client = signed_in(app, "a0029")
    assert not not_forbidden(client, demo, PLANNER_PAGES + HR_PAGES + DRAFT_EXPORTS)


def test_hr_gets_the_403_page_on_planner_pages_me_and_drafts(any_backend, signed_in):
    app, demo = any_backend
    client = signed_in(app, "hr")
    assert not not_forbidden(client, demo, PLANNER_PAGES + AGENT_PAGES + DRAFT_EXPORTS)


def test_planner_gets_the_403_page_on_the_agent_pages(any_backend, signed_in):
    app, demo = any_backend
    assert not not_forbidden(signed_in(app, "planner"), demo, AGENT_PAGES)


@pytest.mark.parametrize(
    ("user", "patterns"),
    [
        ("planner", PLANNER_PAGES + HR_PAGES + DRAFT_EXPORTS),
        ("hr", HR_PAGES),
        ("a0001", AGENT_PAGES),
    ],
)
def test_each_role_opens_its_own_pages(any_backend, signed_in, user: str, patterns):
    app, demo = any_backend
    client = signed_in(app, user)
    answers = {fill(p, demo): client.get(fill(p, demo)).status_code for p in patterns}
    assert set(answers.values()) == {200}, answers


@pytest.mark.parametrize(
    ("user", "start"), [("planner", "/periods"), ("hr", "/exports"), ("a0095", "/me")]
)
def test_home_sends_each_role_to_its_start_page(as_user, user: str, start: str):
    assert location(as_user(user).get("/")) == start


# --- CSRF ----------------------------------------------------------------------------------


def _count(served: Served, model) -> int:
    with unit_of_work(served.sessions()) as session:
        return session.scalar(select(func.count()).select_from(model))


def _version_state(served: Served, version_id: int) -> tuple[str, int]:
    with unit_of_work(served.sessions()) as session:
        version = session.get(m.RosterVersion, version_id)
        return version.state, version.version_id


def _calendar_hash(served: Served, name: str) -> str | None:
    with unit_of_work(served.sessions()) as session:
        return session.scalar(select(m.User.ical_token_hash).filter_by(name=name))


def _assignment_row(served: Served, assignment_id: int):
    with unit_of_work(served.sessions()) as session:
        row = session.get(m.Assignment, assignment_id)
        return None if row is None else (row.roster_version_id, row.locked)


def _some_assignment(served: Served, version_id: int) -> int:
    with unit_of_work(served.sessions()) as session:
        return session.scalar(
            select(m.Assignment.id).filter_by(roster_version_id=version_id).limit(1)
        )


def _what_posts_could_change(served: Served, demo: Demo, shift: int) -> dict:
    return {
        "periods": _count(served, m.PlanningPeriod),
        "versions": _count(served, m.RosterVersion),
        "jobs": _count(served, m.SolveJob),
        "time_off": _count(served, m.TimeOff),
        "draft": _version_state(served, demo.draft_id),
        "calendar": _calendar_hash(served, "a0001"),
        "shift": _assignment_row(served, shift),
    }


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(fresh_demo: Served, demo: Demo):
    planner = signed_in_client(fresh_demo.app, "planner")
    agent = signed_in_client(fresh_demo.app, "a0001")
    shift = _some_assignment(fresh_demo, demo.published_id)
    before = _what_posts_could_change(fresh_demo, demo, shift)
    draft_version = before["draft"][1]
    attempts = [
        (planner, f"/rosters/{demo.draft_id}/publish", {"expected_version": draft_version}),
        (planner, f"/periods/{demo.period_id}/solve", {"time_limit_seconds": 5, "seed": 0}),
        (planner, f"/assignments/{shift}/remove", {}),
        (planner, f"/assignments/{shift}/lock", {}),
        (
            planner,
            f"/rosters/{demo.published_id}/agents/A0001/shifts",
            {"date": "2027-03-24", "shift": "day"},
        ),
        (
            planner,
            f"/rosters/{demo.published_id}/agents/A0001/absences",
            {"start_date": "2027-03-24", "end_date": "2027-03-24", "reason": "sick"},
        ),
        (planner, f"/periods/{demo.period_id}/resolve", {"time_limit_seconds": 5, "seed": 0}),
        (planner, f"/rosters/{demo.draft_id}/resolve", {"time_limit_seconds": 5, "seed": 0}),
        (planner, f"/jobs/{demo.job_id}/cancel", {}),
        (agent, "/me/calendar", {}),
        (agent, "/me/calendar/revoke", {}),
        (planner, "/logout", {}),
    ]
    for client, action, data in attempts:
        answer = client.post(action, data=data)
        assert answer.status_code == 400, f"POST {action} without a token: {answer.status_code}"
        assert answer.mimetype == "text/html"
    upload = planner.post(
        "/periods",
        data={"files": [(_bytes(b"name = 'x'\n"), "scenario.toml")]},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 400
    assert _what_posts_could_change(fresh_demo, demo, shift) == before
    assert planner.get("/periods").status_code == 200, "a token-less sign-out signed out"


def _bytes(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


@pytest.mark.parametrize("user", ["a0001", "hr"])
def test_other_roles_cannot_post_planner_actions(fresh_demo: Served, demo: Demo, user: str):
    """With a valid CSRF token of their own, an agent or HR still gets 403 on every
    planner action, and nothing changes."""
    client = signed_in_client(fresh_demo.app, user)
    token = csrf_token(client.get("/me" if user == "a0001" else "/exports"))
    shift = _some_assignment(fresh_demo, demo.published_id)
    before = _what_posts_could_change(fresh_demo, demo, shift)
    attempts = [
        (f"/rosters/{demo.draft_id}/publish", {"expected_version": before["draft"][1]}),
        (f"/rosters/{demo.draft_id}/resolve", {"time_limit_seconds": 5, "seed": 0}),
        (
            f"/rosters/{demo.published_id}/agents/A0001/absences",
            {"start_date": "2027-03-24", "end_date": "2027-03-24", "reason": "sick"},
        ),
        (f"/periods/{demo.period_id}/solve", {"time_limit_seconds": 5, "seed": 0}),
        (f"/periods/{demo.period_id}/resolve", {"time_limit_seconds": 5, "seed": 0}),
        (f"/jobs/{demo.job_id}/cancel", {}),
        (f"/assignments/{shift}/lock", {}),
        (f"/assignments/{shift}/remove", {}),
        (
            f"/rosters/{demo.published_id}/agents/A0001/shifts",
            {"date": "2027-03-24", "shift": "day"},
        ),
    ]
    for action, data in attempts:
        answer = client.post(action, data={"csrf_token": token, **data})
        assert answer.status_code == 403, f"{user} POST {action}: {answer.status_code}"
    for upload_to in ("/periods", f"/periods/{demo.period_id}/import"):
        upload = client.post(
            upload_to,
            data={"csrf_token": token, "files": [(_bytes(b"x"), "scenario.toml")]},
            content_type="multipart/form-data",
        )
        assert upload.status_code == 403, upload_to
    assert _what_posts_could_change(fresh_demo, demo, shift) == before


def test_a_deactivated_user_is_signed_out_at_once(fresh_demo: Served):
    client = signed_in_client(fresh_demo.app, "a0029")
    assert client.get("/me").status_code == 200
    with unit_of_work(fresh_demo.sessions()) as session:
        session.scalar(select(m.User).filter_by(name="a0029")).active = False
    assert location(client.get("/me")).startswith("/login")


def test_a_token_from_another_session_is_refused(fresh_demo: Served, demo: Demo):
    """A forged form carries the attacker's own valid token, not the victim's."""
    attacker = signed_in_client(fresh_demo.app, "hr")
    stolen = csrf_token(attacker.get("/exports"))
    victim = signed_in_client(fresh_demo.app, "planner")
    before = _version_state(fresh_demo, demo.draft_id)
    answer = victim.post(
        f"/rosters/{demo.draft_id}/publish",
        data={"csrf_token": stolen, "expected_version": before[1]},
    )
    assert answer.status_code == 400
    assert _version_state(fresh_demo, demo.draft_id) == before


def test_sign_in_without_a_csrf_token_is_refused(app: Flask):
    client = app.test_client()
    answer = client.post("/login", data={"name": "planner", "password": PASSWORDS["planner"]})
    assert answer.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert location(client.get("/periods")).startswith("/login")


def test_the_csrf_error_page_tells_to_reload_the_form(app: Flask):
    """A person whose form token expired must learn what to do, not read "Bad Request"."""
    answer = signed_in_client(app, "a0029").post("/me/calendar", data={})
    assert answer.status_code == 400
    assert "reload the page" in page(answer).find(cls="error-page").text


# --- signing in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "password"), [("planner", "wrong-password"), ("nobody", "sunshift-planner")]
)
def test_a_wrong_password_is_refused_with_a_message_and_no_session(
    any_backend: tuple[Flask, Demo], name: str, password: str
):
    app, _ = any_backend
    client = app.test_client()
    answer = sign_in(client, name, password)
    assert answer.status_code == 401
    assert ("error", "Unknown user name or wrong password.") in flash_messages(answer)
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert location(client.get("/periods")).startswith("/login")


def test_passwords_are_stored_only_as_salted_hashes(any_backend: tuple[Flask, Demo]):
    app, _ = any_backend
    engine = app.extensions["sunshift.engine"]
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM users")).mappings().all()
    by_name = {row["name"]: row for row in rows}
    hashes = set()
    for name, password in PASSWORDS.items():
        row = by_name[name]
        assert all(password not in str(value) for value in row.values()), f"{name}: plain"
        assert row["password_hash"].startswith("$argon2id$"), f"{name}: not argon2id"
        assert check_password(row["password_hash"], password)
        hashes.add(row["password_hash"])
    assert len(hashes) == len(PASSWORDS), "three agents share a password: hashes must differ"


def test_a_password_hashed_the_old_way_still_signs_in_and_is_rehashed_with_argon2(
    fresh_demo: Served,
):
    """Users made before argon2 (werkzeug's scrypt hashes) keep their password; their
    next sign-in stores it as argon2id, and a wrong password changes nothing."""
    with unit_of_work(fresh_demo.sessions()) as session:
        user = session.scalar(select(m.User).filter_by(name="planner"))
        user.password_hash = generate_password_hash(PASSWORDS["planner"], method="scrypt")
        old = user.password_hash
    assert sign_in(fresh_demo.app.test_client(), "planner", "wrong").status_code == 401
    with unit_of_work(fresh_demo.sessions()) as session:
        assert session.scalar(select(m.User).filter_by(name="planner")).password_hash == old

    answer = sign_in(fresh_demo.app.test_client(), "planner", PASSWORDS["planner"])

    assert answer.status_code == 302
    with unit_of_work(fresh_demo.sessions()) as session:
        renewed = session.scalar(select(m.User).filter_by(name="planner")).password_hash
    assert renewed.startswith("$argon2id$") and check_password(renewed, PASSWORDS["planner"])
    assert sign_in(fresh_demo.app.test_client(), "planner", PASSWORDS["planner"]).status_code == 302


def test_the_session_cookie_is_http_only_and_same_site_lax(app: Flask):
    client = app.test_client()
    answer = sign_in(client, "hr", PASSWORDS["hr"])
    cookies = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "signing in set no session cookie"
    flags = {part.strip().lower() for part in cookies[-1].split(";")[1:]}
    assert "httponly" in flags
    assert "samesite=lax" in flags


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "https:/evil.example/",
        "/\\evil.example/",
        "///evil.example/",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/periods//evil.example",
    ],
)
def test_sign_in_follows_only_local_next_paths(app: Flask, target: str):
    client = app.test_client()
    answer = sign_in(client, "planner", PASSWORDS["planner"], next_path=target)
    assert answer.status_code == 302
    header = answer.headers["Location"]
    # where a browser goes: it reads an unencoded backslash as a slash
    landing = urljoin("http://localhost/login", header.replace("\\", "/"))
    assert urlsplit(landing).netloc == "localhost", f"next={target!r} sent the user to {header}"
    assert location(answer) == "/"


def test_sign_in_follows_a_local_next_path(app: Flask, demo: Demo):
    client = app.test_client()
    wanted = f"/rosters/{demo.published_id}"
    answer = sign_in(client, "planner", PASSWORDS["planner"], next_path=wanted)
    assert location(answer) == wanted


def test_signing_out_ends_the_session(app: Flask):
    client = signed_in_client(app, "planner")
    answer = submit(client, "/periods", "/logout")
    assert location(answer) == "/login"
    assert location(client.get("/periods")).startswith("/login")


# --- errors and headers -------------------------------------------------------------------------


def test_an_unknown_page_is_an_html_404(app: Flask, demo: Demo, as_user):
    for client in (app.test_client(), as_user("planner")):
        answer = client.get("/no-such-page")
        assert answer.status_code == 404
        assert page(answer).find(cls="status-code").text == "404"
    planner = as_user("planner")
    for path in ("/rosters/999999", "/periods/999999", f"/rosters/{demo.published_id}/agents/X9"):
        answer = planner.get(path)
        assert answer.status_code == 404, path
        assert page(answer).find(cls="status-code").text == "404"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/periods", 401, "unauthorized"),
        ("/api/v1/no-such-route", 404, "not_found"),
        ("/ical/not-a-token.ics", 404, "not_found"),
    ],
)
def test_the_json_api_still_answers_json_errors(
    app: Flask, as_user, path: str, status: int, code: str
):
    for client in (app.test_client(), as_user("planner")):
        answer = client.get(path)
        assert answer.status_code == status
        assert answer.mimetype == "application/json"
        assert json.loads(answer.data)["error"] == code


def test_a_signed_in_page_session_is_no_api_token(as_user):
    """The pages' cookie must not open the JSON API (it is exempt from CSRF)."""
    answer = as_user("planner").get("/api/v1/periods")
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("user", "path"),
    [
        (None, "/login"),
        (None, "/no-such-page"),
        ("planner", "/periods"),
        ("planner", "/rosters/{published}"),
        ("hr", "/exports"),
        ("a0029", "/me"),
        ("a0029", "/periods"),
    ],
)
def test_pages_carry_the_security_headers(
    app: Flask, as_user, demo: Demo, user: str | None, path: str
):
    client = as_user(user) if user else app.test_client()
    answer = client.get(fill(path, demo))
    assert answer.mimetype == "text/html"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    policy = {
        part.strip().split(" ", 1)[0]: part.strip()
        for part in answer.headers["Content-Security-Policy"].split(";")
    }
    assert policy["default-src"] == "default-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("planner", "/periods"),
        ("planner", "/periods/{period}"),
        ("planner", "/jobs/{job}"),
        ("planner", "/rosters/{published}"),
        ("planner", "/rosters/{published}/grid"),
        ("planner", "/rosters/{published}/agents/A0001"),
        ("hr", "/exports/{published}"),
        ("a0029", "/me"),
    ],
)
def test_pages_have_no_inline_script_or_style_the_policy_would_block(
    as_user, demo: Demo, user: str, path: str
):
    document = page(as_user(user).get(fill(path, demo)))
    for script in document.find_all("script"):
        assert script.get("src"), "an inline <script> is blocked by the page's CSP"
        assert not script.text
    assert not document.find_all("style")
    for node in document.iter():
        blocked = [name for name in node.attrs if name.startswith("on") or name == "style"]
        assert not blocked, f"<{node.tag} {blocked}> is blocked by the page's CSP"


def test_guessing_passwords_is_slowed_down(app: Flask):
    """After ten failed sign-ins a minute from one address the eleventh is refused, even
    with the right password; other addresses are not affected."""
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    for attempt in range(10):
        answer = sign_in(guesser, "planner", f"guess-{attempt}")
        assert answer.status_code == 401, attempt
    answer = sign_in(guesser, "planner", PASSWORDS["planner"])
    assert answer.status_code == 429
    assert "wait a minute" in page(answer).find(cls="error-page").text
    with guesser.session_transaction() as session:
        assert "_user_id" not in session

    someone_else = app.test_client()
    someone_else.environ_base["REMOTE_ADDR"] = "198.51.100.8"
    assert sign_in(someone_else, "planner", PASSWORDS["planner"]).status_code == 302


def test_guessing_one_name_never_locks_out_the_others_at_the_same_address(app: Flask):
    """The limit counts failures per address and user name: an office behind one NAT
    keeps signing in while someone there guesses the planner's password."""
    office = "203.0.113.20"
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = office
    for attempt in range(10):
        assert sign_in(guesser, "planner", f"guess-{attempt}").status_code == 401
    assert sign_in(guesser, "planner", f"guess-{attempt}").status_code == 429

    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = office
    assert sign_in(colleague, "hr", PASSWORDS["hr"]).status_code == 302
    assert sign_in(colleague, "HR ", "wrong").status_code == 401  # same name, other spelling
    assert sign_in(app.test_client(), "Planner", "x").status_code in (401, 429)


def test_a_forged_forwarded_for_does_not_dodge_the_limit_without_trusted_proxies(app: Flask):
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "203.0.113.30"
    for attempt in range(10):
        guesser.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{attempt}"
        assert sign_in(guesser, "hr", f"guess-{attempt}").status_code == 401
    guesser.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.99"
    assert sign_in(guesser, "hr", "guess-again").status_code == 429


def test_behind_a_trusted_proxy_the_limit_keys_on_the_real_client(fresh_demo: Served):
    """With SUNSHIFT_TRUSTED_PROXIES=1 every request comes from the proxy's address;
    the limit counts the client address the proxy appended to X-Forwarded-For."""
    proxied = create_service_app(fresh_demo.url, testing=True, trusted_proxies=1)
    try:

        def client_behind_proxy(address: str) -> FlaskClient:
            client = proxied.test_client()
            client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy
            client.environ_base["HTTP_X_FORWARDED_FOR"] = address
            return client

        guesser = client_behind_proxy("198.51.100.40")
        for attempt in range(10):
            assert sign_in(guesser, "planner", f"guess-{attempt}").status_code == 401
        assert sign_in(guesser, "planner", PASSWORDS["planner"]).status_code == 429

        planner = client_behind_proxy("198.51.100.41")
        assert sign_in(planner, "planner", PASSWORDS["planner"]).status_code == 302
    finally:
        proxied.extensions["sunshift.engine"].dispose()


def test_an_unknown_user_name_costs_a_password_hash_like_a_known_one(
    app: Flask, monkeypatch: pytest.MonkeyPatch
):
    """Equal timing: the answer for an unknown name comes after the same hash check as
    for a known name with a wrong password, with a hash of the same method and cost."""
    checked: list[str] = []
    real_check = repository.check_password

    def spy(password_hash: str, password: str) -> bool:
        checked.append(password_hash.rsplit("$", 2)[0])  # method and cost, without salt
        return real_check(password_hash, password)

    monkeypatch.setattr(repository, "check_password", spy)
    timings: dict[str, list[float]] = {"planner": [], "nobody-here": []}
    for round_ in range(3):
        for name in timings:
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"203.0.113.{50 + round_}"
            started = time.perf_counter()
            assert sign_in(client, name, "not-the-password").status_code == 401
            timings[name].append(time.perf_counter() - started)

    assert len(checked) == 6 and len(set(checked)) == 1, checked  # all "$argon2id$v=19$m=..."
    known, unknown = min(timings["planner"]), min(timings["nobody-here"])
    assert unknown > known / 2, f"unknown name {unknown:.3f} s, known {known:.3f} s"


@pytest.mark.parametrize("user", [None, "planner"])
def test_the_api_docs_page_carries_the_security_headers_and_loads_only_this_site(
    app: Flask, as_user, user: str | None
):
    client = as_user(user) if user else app.test_client()
    answer = client.get("/api/v1/docs")
    assert answer.status_code == 200
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers[name] == value, name
    document = page(answer)
    sources = [s.get("src") for s in document.find_all("script")]
    sources += [link.get("href") for link in document.find_all("link")]
    assert sources and all(source.startswith("/") for source in sources), sources
    assert all(not script.text.strip() for script in document.find_all("script"))
    for source in sources:
        assert client.get(source).status_code == 200, source


@pytest.mark.parametrize("user", [None, "planner", "hr", "a0029"])
def test_every_page_has_a_favicon_that_loads(app: Flask, as_user, user: str | None):
    client = as_user(user) if user else app.test_client()
    start = client.get("/", follow_redirects=True)
    icons = [link.get("href") for link in page(start).find_all("link") if link.get("rel") == "icon"]
    assert icons, "the page names no icon"
    for path in [*icons, "/favicon.ico"]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.mimetype == "image/svg+xml"
        assert answer.data.startswith(b"<svg")
