"""Queue e-mails in the caller's transaction: the shared interface of every feature
that tells people something (publishing, time-off requests, swaps, the digest).

A message is a row of the outbox added to the caller's session, so it exists exactly
when the change it tells of is committed: nothing is sent for a rolled-back change.
``scheduler.mail.sender`` delivers it later (``sunshift mail send``), retrying until
the SMTP server takes it. Bodies are plain text; name times in the recipient's local
time with the offset (``scheduler.mail.wording.local_span``).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.services.errors import InvalidInput, NotFound
from scheduler.storage import models as m
from scheduler.storage.models_outbox import OutboxMessage

MAX_SUBJECT_CHARS = 200
MAX_BODY_CHARS = 64_000
MAX_ADDRESS_CHARS = 320
MAX_KIND_CHARS = 64
MAX_LINK_CHARS = 2000
PLANNER_ROLES = ("planner", "admin")


def queue_mail(
    session: Session,
    *,
    to_user_id: int | None = None,
    to_address: str | None = None,
    subject: str,
    body: str,
    kind: str,
    link: str | None = None,
) -> None:
    """Adds one message to the outbox in the caller's transaction (sent only if it commits).

    ``to_address`` defaults to the user's e-mail; ``InvalidInput`` when there is no
    address, or a field is too long or malformed (nothing is queued then)."""
    address = to_address
    if address is None and to_user_id is not None:
        user = session.get(m.User, to_user_id)
        if user is None:
            raise NotFound(f"no user with id {to_user_id}")
        address = user.email
    session.add(_checked(to_user_id, address, subject, body, kind, link))


def notify_agent(
    session: Session,
    agent_id: int,
    *,
    subject: str,
    body: str,
    kind: str,
    link: str | None = None,
) -> None:
    """Mails the user account(s) linked to this agent, if any have an e-mail address.

    ``agent_id`` is the agent row's id (``agents.id``). A user links to the agent as
    everywhere else: same agent code, and the same e-mail as agents.csv gives him."""
    agent = session.get(m.Agent, agent_id)
    if agent is None:
        raise NotFound(f"no agent with id {agent_id}")
    for user in agent_users(session, agent):
        queue_mail(
            session,
            to_user_id=user.id,
            to_address=user.email,
            subject=subject,
            body=body,
            kind=kind,
            link=link,
        )


def notify_planners(
    session: Session, *, subject: str, body: str, kind: str, link: str | None = None
) -> None:
    """Mails every planner/admin with an e-mail address."""
    for user in planners_with_email(session):
        queue_mail(
            session,
            to_user_id=user.id,
            to_address=user.email,
            subject=subject,
            body=body,
            kind=kind,
            link=link,
        )


def agent_users(session: Session, agent: m.Agent) -> list[m.User]:
    """Active agent users of ``agent`` who have an e-mail: his code and, as
    ``repository.is_the_users_agent`` demands, the e-mail agents.csv gives him."""
    if not agent.email:
        return []
    return list(
        session.scalars(
            select(m.User)
            .where(
                m.User.role == "agent",
                m.User.active.is_(True),
                m.User.agent_code == agent.code,
                m.User.email.is_not(None),
                m.User.email == func.lower(agent.email),
            )
            .order_by(m.User.id)
        )
    )


def planners_with_email(session: Session) -> list[m.User]:
    return list(
        session.scalars(
            select(m.User)
            .where(
                m.User.role.in_(PLANNER_ROLES),
                m.User.active.is_(True),
                m.User.email.is_not(None),
                m.User.email != "",
            )
            .order_by(m.User.id)
        )
    )


def _checked(
    to_user_id: int | None,
    address: str | None,
    subject: str,
    body: str,
    kind: str,
    link: str | None,
) -> OutboxMessage:
    """The outbox row, or ``InvalidInput`` naming every field that is wrong."""
    errors: list[dict] = []

    def refuse(field: str, value: object, expected: str) -> None:
        shown = None if value is None else str(value)[:80]
        errors.append(
            {
                "file": "mail",
                "line": None,
                "field": field,
                "value": shown,
                "expected": expected,
                "message": f"{field}: expected {expected}, got {shown!r}",
            }
        )

    address = (address or "").strip()
    if not address or "@" not in address or any(c.isspace() or c in "<>,;" for c in address):
        refuse("to_address", address or None, "one e-mail address (the user has none?)")
    elif len(address) > MAX_ADDRESS_CHARS:
        refuse("to_address", address, f"at most {MAX_ADDRESS_CHARS} characters")
    subject = " ".join(subject.split())  # one line: a header never holds a line break
    if not subject or len(subject) > MAX_SUBJECT_CHARS:
        refuse("subject", subject, f"1 to {MAX_SUBJECT_CHARS} characters")
    if len(body) > MAX_BODY_CHARS:
        refuse("body", body, f"at most {MAX_BODY_CHARS} characters")
    if not kind or len(kind) > MAX_KIND_CHARS:
        refuse("kind", kind, f"1 to {MAX_KIND_CHARS} characters")
    if link is not None and (len(link) > MAX_LINK_CHARS or any(c.isspace() for c in link)):
        refuse("link", link, f"a URL or path without spaces, at most {MAX_LINK_CHARS} characters")
    if errors:
        raise InvalidInput(f"mail not queued: {errors[0]['message']}", errors)
    return OutboxMessage(
        kind=kind,
        to_user_id=to_user_id,
        to_address=address,
        subject=subject,
        body=body,
        link=link,
        state="queued",
        attempts=0,
        next_attempt_at=m.utc_now(),
    )
