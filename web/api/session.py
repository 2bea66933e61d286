"""One database session per request, closed when the request ends (the flaskr pattern).

The app holds a session factory; read-only routes use ``request_session()``,
which opens a session on first use and keeps it on ``g`` until teardown. Changes
go through ``scheduler.services``, which take the factory (``session_factory()``)
and run their own unit of work.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

SESSIONS_KEY = "sunshift.sessions"


def init_sessions(app: Flask, sessions: sessionmaker[Session]) -> None:
    app.extensions[SESSIONS_KEY] = sessions
    app.teardown_appcontext(close_request_session)


def session_factory() -> sessionmaker[Session]:
    return current_app.extensions[SESSIONS_KEY]


def request_session() -> Session:
    """The request's session; reads see the database as of their first query."""
    if "db_session" not in g:
        g.db_session = session_factory()()
    return g.db_session


def close_request_session(_error: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
