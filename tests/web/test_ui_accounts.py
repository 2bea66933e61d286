"""Accounts can be revoked (issue 13, finding 2): signing out ends the session on the
server, a deactivated user's sessions, API token and calendar link stop at once, API
tokens expire and are revoked, and admins manage users on the Users page."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select

from scheduler.cli import main
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from tests.web.conftest import PASSWORDS, signed_in_client
from tests.web.page_tools import flash_messages, location, page, sign_in, submit


def _copy_cookies(source: FlaskClient, target: FlaskClient) -> None:
    cookie = source.get_cookie("session")
    assert cookie is not None, "no session cookie to copy"
    target.set_cookie("session", cookie.value)


def _admin(sessions, name: str = "ada", password: str = "admin-secret") -> None:
    with unit_of_work(sessions) as session:
        repository.add_user(session, name, "admin", password=password)


def _tokens(sessions, name: str) -> tuple[str, str]:
    """A new API token and calendar link token for ``name``."""
    with unit_of_work(sessions) as session:
        user = session.scalar(select(m.User).filter_by(name=name))
        return repository.issue_api_token(user), repository.issue_ical_token(user)


def test_a_copied_cookie_stops_working_once_its_owner_signs_out(fresh_demo):
    browser = signed_in_client(fresh_demo.app, "planner")
    thief = fresh_demo.app.test_client()
    _copy_cookies(browser, thief)
    assert thief.get("/periods").status_code == 200  # the copy works while signed in

    signed_out = submit(browser, "/periods", "/logout")

    assert location(signed_out) == "/login"
    answer = thief.get("/periods")
    assert answer.status_code == 302 and location(answer).startswith("/login")


def test_signing_out_on_one_browser_keeps_the_others(fresh_demo):
    laptop = signed_in_client(fresh_demo.app, "planner")
    phone = signed_in_client(fresh_demo.app, "planner")

    submit(laptop, "/periods", "/logout")

    assert phone.get("/periods").status_code == 200


def test_deactivating_a_user_stops_his_session_token_and_calendar_link_at_once(
    fresh_demo, monkeypatch
):
    agent = signed_in_client(fresh_demo.app, "a0029")
    api_token, feed_token = _tokens(fresh_demo.sessions(), "a0029")
    client = fresh_demo.app.test_client()
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert agent.get("/me").status_code == 200
    assert client.get("/api/v1/me/shifts", headers=bearer).status_code == 200
    assert client.get(f"/ical/{feed_token}.ics").status_code == 200

    monkeypatch.setenv("DATABASE_URL", fresh_demo.url)
    done = CliRunner().invoke(main, ["users", "deactivate", "a0029"])

    assert done.exit_code == 0, done.output
    assert location(agent.get("/me")).startswith("/login")
    assert client.get("/api/v1/me/shifts", headers=bearer).status_code == 401
    assert client.get(f"/ical/{feed_token}.ics").status_code == 404
    assert sign_in(fresh_demo.app.test_client(), "a0029", PASSWORDS["a0029"]).status_code == 401
    listed = CliRunner().invoke(main, ["users", "list"])
    assert any(
        line.split()[:3] == ["a0029", "agent", "deactivated"] for line in listed.output.splitlines()
    ), listed.output


def test_reset_password_signs_the_user_out_and_only_the_new_password_works(fresh_demo, monkeypatch):
    hr = signed_in_client(fresh_demo.app, "hr")
    monkeypatch.setenv("DATABASE_URL", fresh_demo.url)

    done = CliRunner().invoke(main, ["users", "reset-password", "hr"])

    assert done.exit_code == 0, done.output
    new_password = done.output.strip().splitlines()[-1]
    assert location(hr.get("/exports")).startswith("/login")
    assert sign_in(fresh_demo.app.test_client(), "hr", PASSWORDS["hr"]).status_code == 401
    assert sign_in(fresh_demo.app.test_client(), "hr", new_password).status_code == 302


def test_tokens_expire_and_are_revoked(fresh_demo, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fresh_demo.url)
    client = fresh_demo.app.test_client()
    made = CliRunner().invoke(main, ["tokens", "create", "planner", "--expires-in-days", "30"])
    assert made.exit_code == 0, made.output
    assert "valid until" in made.output
    bearer = {"Authorization": f"Bearer {made.output.strip().splitlines()[-1]}"}
    assert client.get("/api/v1/periods", headers=bearer).status_code == 200

    with unit_of_work(fresh_demo.sessions()) as session:  # thirty days later
        user = session.scalar(select(m.User).filter_by(name="planner"))
        user.api_token_expires_at = m.utc_now() - timedelta(seconds=1)
    assert client.get("/api/v1/periods", headers=bearer).status_code == 401

    made = CliRunner().invoke(main, ["tokens", "create", "planner"])
    bearer = {"Authorization": f"Bearer {made.output.strip().splitlines()[-1]}"}
    assert client.get("/api/v1/periods", headers=bearer).status_code == 200
    revoked = CliRunner().invoke(main, ["tokens", "revoke", "planner"])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert client.get("/api/v1/periods", headers=bearer).status_code == 401


def test_unknown_user_names_exit_2(fresh_demo, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fresh_demo.url)
    for command in (["users", "deactivate", "nobody"], ["tokens", "revoke", "nobody"]):
        done = CliRunner().invoke(main, command)
        assert done.exit_code == 2 and "no user named 'nobody'" in done.output


def test_only_admins_open_the_users_page(fresh_demo):
    _admin(fresh_demo.sessions())
    admin = fresh_demo.app.test_client()
    assert sign_in(admin, "ada", "admin-secret").status_code == 302

    shown = admin.get("/admin/users")

    assert shown.status_code == 200
    names = [
        row.find_all("td")[0].text.split()[0] for row in page(shown).find("tbody").find_all("tr")
    ]
    assert {"ada", "planner", "hr", "a0001"} <= set(names)
    assert signed_in_client(fresh_demo.app, "planner").get("/admin/users").status_code == 403
    assert signed_in_client(fresh_demo.app, "hr").get("/admin/users").status_code == 403
    assert location(fresh_demo.app.test_client().get("/admin/users")).startswith("/login")


def test_an_admin_deactivates_and_resets_on_the_users_page(fresh_demo):
    _admin(fresh_demo.sessions())
    admin = fresh_demo.app.test_client()
    sign_in(admin, "ada", "admin-secret")
    agent = signed_in_client(fresh_demo.app, "a0001")
    with unit_of_work(fresh_demo.sessions()) as session:
        agent_id = session.scalar(select(m.User.id).filter_by(name="a0001"))

    done = submit(admin, "/admin/users", f"/admin/users/{agent_id}/deactivate")

    assert location(done) == "/admin/users"
    assert "a0001 is deactivated" in flash_messages(admin.get("/admin/users"))[0][1]
    assert location(agent.get("/me")).startswith("/login")

    submit(admin, "/admin/users", f"/admin/users/{agent_id}/activate")
    submit(admin, "/admin/users", f"/admin/users/{agent_id}/reset-password")
    shown = page(admin.get("/admin/users"))
    password = shown.find("code", cls="secret").text
    assert sign_in(fresh_demo.app.test_client(), "a0001", password).status_code == 302
    assert not page(admin.get("/admin/users")).find_all("code", cls="secret")  # shown once


def test_an_admin_cannot_deactivate_himself(fresh_demo):
    _admin(fresh_demo.sessions())
    admin = fresh_demo.app.test_client()
    sign_in(admin, "ada", "admin-secret")
    with unit_of_work(fresh_demo.sessions()) as session:
        own_id = session.scalar(select(m.User.id).filter_by(name="ada"))
    token = page(admin.get("/admin/users")).find("input", name="csrf_token").get("value")

    admin.post(f"/admin/users/{own_id}/deactivate", data={"csrf_token": token})

    assert admin.get("/admin/users").status_code == 200
    with unit_of_work(fresh_demo.sessions()) as session:
        assert session.scalar(select(m.User.active).filter_by(name="ada")) is True


def test_the_demo_has_an_admin_who_sees_the_users_page(as_user):
    """`make demo` prints an admin sign-in: the users page lists the demo's sign-ins."""
    answer = as_user("admin").get("/admin/users")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert all(name in text for name in ("planner", "hr", "a0029", "a0033"))
    assert as_user("planner").get("/admin/users").status_code == 403
