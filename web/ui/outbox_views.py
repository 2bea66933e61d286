"""The outbox page for planners and admins: every e-mail Sunshift queued, newest first,
with its state (queued, retried with the last error, sent); the demo's mailbox when
no SMTP server is configured."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from scheduler.mail.sender import absolute_link
from scheduler.mail.settings import smtp_settings
from scheduler.services.outbox import outbox_page
from web.api.session import session_factory
from web.ui.security import PLANNER_ROLES, roles_required

outbox = Blueprint("outbox", __name__)


@outbox.get("/outbox")
@roles_required(*PLANNER_ROLES)
def messages() -> str:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1
    state = request.args.get("state") or None
    try:
        smtp = smtp_settings()
        server = smtp.describe() if smtp else None
    except ValueError as bad:
        server = f"not usable: {bad}"
    return render_template(
        "outbox.html",
        box=outbox_page(session_factory(), page, state),
        server=server,
        absolute_link=absolute_link,
    )
