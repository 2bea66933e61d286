"""Sign in, sign out, and the home page that sends each role to its own start page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.repository import (
    end_user_session,
    open_user_session,
    renew_password_hash,
    user_by_password,
)
from web.api.session import request_session, session_factory
from web.ui.forms import ActionForm, SignInForm
from web.ui.security import FAILED_SIGN_INS_LIMIT, limiter, sign_in_key, signed_in

auth = Blueprint("auth", __name__)

START_PAGES = {
    "planner": "planner.periods",
    "admin": "planner.periods",
    "hr": "hr.exports",
    "agent": "agent.my_shifts",
}


@auth.get("/")
def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(START_PAGES[current_user.role]))


@auth.route("/login", methods=["GET", "POST"])
@limiter.limit(
    FAILED_SIGN_INS_LIMIT,
    key_func=sign_in_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 401,
)
def login() -> Response | tuple[str, int] | str:
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = user_by_password(request_session(), form.name.data.strip(), form.password.data)
        if user is not None:
            session.clear()  # no state carried over from before signing in
            with unit_of_work(session_factory()) as writing:
                signing_in = writing.get(m.User, user.id)
                renew_password_hash(signing_in, form.password.data)
                token = open_user_session(writing, signing_in)
            login_user(signed_in(user, token))
            return redirect(_safe_next(form.next.data) or url_for("auth.home"))
        flash("Unknown user name or wrong password.", "error")
        return render_template("login.html", form=form), 401
    return render_template("login.html", form=form)


@auth.post("/logout")
def logout() -> Response:
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            with unit_of_work(session_factory()) as writing:
                end_user_session(writing, current_user.session_token)
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, and nothing a browser could read
    as one (``//host``, ``///host``, ``/\\host``, or a tab or newline it drops first)."""
    if not target or not target.startswith("/") or "//" in target or "\\" in target:
        return None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
