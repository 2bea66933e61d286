"""Signing in to the pages: Flask-Login sessions, role checks, CSRF, safe cookies and
a limit on failed sign-ins (Flask-Limiter).

The pages use a signed session cookie (HttpOnly, SameSite=Lax) and Flask-WTF's
CSRF token on every form; the JSON API keeps its Bearer tokens and is exempt
from CSRF because a browser never sends those on its own. Every view states who
may open it with ``@roles_required(...)``: a visitor who is not signed in goes to
the sign-in page, a signed-in user of another role gets the 403 page.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, abort, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from config import settings
from config.settings import INSTANCE_DIR
from scheduler.imports.errors import FILE_ORDER
from scheduler.storage import models as m
from scheduler.storage.repository import user_of_session
from web.api.session import request_session

SECRET_KEY_ENV = "SUNSHIFT_SECRET_KEY"
SECRET_KEY_FILE = "secret_key"
PLANNER_ROLES = ("planner", "admin")
ADMIN_ROLES = ("admin",)
"""Planners who may also manage users (the Users page)."""
EXPORT_ROLES = ("planner", "admin", "hr")
AGENT_ROLES = ("agent",)

csrf = CSRFProtect()
limiter = Limiter(get_remote_address, default_limits=[])
FAILED_SIGN_INS_LIMIT = "10 per minute"
"""Failed sign-ins allowed per client address and user name: guessing a password gets
slow, a person who mistypes a few times never notices, and someone guessing one
name never locks out the others signing in from the same address (an office
behind one NAT)."""
RATE_LIMIT_STORAGE_ENV = "SUNSHIFT_RATELIMIT_STORAGE"
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.login_message_category = "info"

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class SignedInUser(UserMixin):
    """Who is signed in, as read from the database on each request. The cookie holds
    the user id and a session id whose hash is a ``user_sessions`` row: signing out,
    deactivating the user or resetting his password deletes the row, so the cookie
    (or any copy of it) stops working at once."""

    id: int
    name: str
    role: str
    agent_code: str | None
    session_token: str = ""

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


@login_manager.user_loader
def _load_user(cookie_id: str) -> SignedInUser | None:
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token or len(token) > 200:
        return None
    user = user_of_session(request_session(), int(user_id), token)
    if user is None:
        return None
    # held for the request: the session's identity map keeps only what someone holds, so
    # the views' ``session.get(m.User, current_user.id)`` would read the row again
    g.signed_in_user_row = user
    return signed_in(user, token)


def sign_in_key() -> str:
    """What the sign-in limit counts failures by: the client's address (the real one
    behind ``SUNSHIFT_TRUSTED_PROXIES`` proxies) and the user name tried."""
    name = (request.form.get("name") or "").strip().lower()[:200]
    return f"{get_remote_address()}|{name}"


def signed_in(user: m.User, session_token: str) -> SignedInUser:
    return SignedInUser(user.id, user.name, user.role, user.agent_code, session_token)


def roles_required(*roles: str) -> Callable[[View], View]:
    """Only signed-in users of ``roles`` may open the view (others: sign-in page or 403)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def configure_sessions(app: Flask, testing: bool) -> None:
    """Secret key, cookie flags, Flask-Login and CSRF for the pages."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(testing)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SUNSHIFT_SECURE_COOKIES") == "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session: a planner may leave a tab open
        # every scenario file at its size limit fits; beyond that, 413 before parsing
        MAX_CONTENT_LENGTH=len(FILE_ORDER) * settings.MAX_UPLOAD_BYTES + 1024 * 1024,
    )
    # memory:// counts per process; several server processes share redis://host:6379
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", os.environ.get(RATE_LIMIT_STORAGE_ENV, "memory://")
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def _secret_key(testing: bool) -> str:
    """SUNSHIFT_SECRET_KEY, else a random key kept in the instance folder so sessions
    survive a restart (a fresh random key per process when testing)."""
    configured = os.environ.get(SECRET_KEY_ENV)
    if configured:
        return configured
    if testing:
        return secrets.token_hex(32)
    path = Path(INSTANCE_DIR) / SECRET_KEY_FILE
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'"
    ),
}
"""Headers for every page: no framing, no sniffing, no calendar token in a Referer, and
only the app's own scripts and styles (pages carry no inline script)."""
