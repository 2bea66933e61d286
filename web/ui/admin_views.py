"""The Users page for admins (planners who may manage users): who can sign in, with
what, and the buttons that stop it: deactivate, sign out everywhere, reset a password,
revoke an API token. Every change goes through ``scheduler.services.accounts``."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask import session as session_cookie
from flask_login import current_user
from werkzeug.wrappers import Response

from scheduler.services import ServiceError, accounts
from scheduler.storage import models as m
from web.api.session import request_session, session_factory
from web.ui.forms import ActionForm
from web.ui.security import ADMIN_ROLES, roles_required

admin = Blueprint("admin", __name__, url_prefix="/admin")

NEW_PASSWORD_KEY = "new_password"
"""Where a just-reset password waits in the session for the one page that shows it."""


@admin.get("/users")
@roles_required(*ADMIN_ROLES)
def users() -> str:
    return render_template(
        "users.html",
        users=accounts.list_users(session_factory()),
        new_password=session_cookie.pop(NEW_PASSWORD_KEY, None),
        action_form=ActionForm(),
    )


@admin.post("/users/<int:user_id>/deactivate")
@roles_required(*ADMIN_ROLES)
def deactivate(user_id: int) -> Response:
    return _act(
        user_id,
        lambda name: accounts.deactivate_user(session_factory(), name, current_user.id),
        "{name} is deactivated: his sessions, API token and calendar link stopped working.",
    )


@admin.post("/users/<int:user_id>/activate")
@roles_required(*ADMIN_ROLES)
def activate(user_id: int) -> Response:
    return _act(
        user_id,
        lambda name: accounts.activate_user(session_factory(), name, current_user.id),
        "{name} may sign in again (reset his password to hand him a new one).",
    )


@admin.post("/users/<int:user_id>/sign-out")
@roles_required(*ADMIN_ROLES)
def sign_out(user_id: int) -> Response:
    return _act(
        user_id,
        lambda name: accounts.end_sessions(session_factory(), name, current_user.id),
        "{name} is signed out on every browser.",
    )


@admin.post("/users/<int:user_id>/revoke-token")
@roles_required(*ADMIN_ROLES)
def revoke_token(user_id: int) -> Response:
    return _act(
        user_id,
        lambda name: accounts.revoke_token(session_factory(), name, current_user.id),
        "{name}'s API token is revoked.",
    )


@admin.post("/users/<int:user_id>/reset-password")
@roles_required(*ADMIN_ROLES)
def reset_password(user_id: int) -> Response:
    def reset(name: str) -> None:
        password = accounts.reset_password(session_factory(), name, current_user.id)
        session_cookie[NEW_PASSWORD_KEY] = {"name": name, "password": password}

    return _act(user_id, reset, "{name} has a new password and was signed out everywhere.")


def _act(user_id: int, action: Callable[[str], object], done: str) -> Response:
    if ActionForm().validate_on_submit():
        user = request_session().get(m.User, user_id)
        if user is None:
            abort(404)
        try:
            action(user.name)
        except ServiceError as refused:
            flash(str(refused), "error")
        else:
            flash(done.format(name=user.name), "success")
    return redirect(url_for("admin.users"))
