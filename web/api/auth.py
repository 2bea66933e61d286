"""Bearer-token authentication and role checks for every API route.

Tokens come from ``repository.issue_api_token`` and are looked up by their sha256
(the database never holds a usable token). A route states who may call it with
``@bp.auth_required(token_auth, roles=...)``; flask-httpauth answers 401 for a
missing or unknown token and 403 for a role not listed, both as the JSON error
shape (see ``web.api.errors``).
"""

from __future__ import annotations

from apiflask import HTTPTokenAuth

from scheduler.storage import models as m
from scheduler.storage.repository import user_by_api_token
from web.api.session import request_session

PLANNERS = ["planner", "admin"]
"""Manage periods, imports, solves, drafts, publishing and edits."""
READERS = ["planner", "admin", "hr"]
"""Read periods and rosters (hr: published rosters only) and export them."""
AGENTS = ["agent"]
"""Read their own published shifts."""

token_auth = HTTPTokenAuth(
    scheme="Bearer",
    description="An API token from `sunshift users create`: `Authorization: Bearer <token>`.",
)


@token_auth.verify_token
def _user_of_token(token: str) -> m.User | None:
    if not token or len(token) > 200:
        return None
    return user_by_api_token(request_session(), token)


@token_auth.get_user_roles
def _roles_of(user: m.User) -> list[str]:
    return [user.role]


def current_user() -> m.User:
    """The authenticated user of this request (only inside an auth_required route)."""
    return token_auth.current_user  # type: ignore[return-value]
