"""``sunshift mail``: deliver the outbox (``send``), queue the planners' digest (``digest``),
delete the mails sent long ago (``prune``)."""

from __future__ import annotations

import sys

import click

EXIT_BAD_INPUT = 2


@click.group(
    help="E-mail: deliver the outbox through SUNSHIFT_SMTP_URL, the daily digest, pruning."
)
def mail() -> None:
    pass


@mail.command(help="Send the due messages of the outbox (once, or for ever with --loop).")
@click.option("--loop", is_flag=True, help="Keep sending every SUNSHIFT_MAIL_SEND_SECONDS.")
def send(loop: bool) -> None:
    from sqlalchemy import func, select

    from scheduler.mail.loop import MailLoop
    from scheduler.mail.sender import send_due
    from scheduler.mail.settings import SMTP_URL_ENV, smtp_settings
    from scheduler.storage.db import make_engine, session_factory, unit_of_work
    from scheduler.storage.models_outbox import OutboxMessage

    sessions = session_factory(make_engine())
    try:
        smtp = smtp_settings()
    except ValueError as bad:
        click.echo(str(bad), err=True)
        sys.exit(EXIT_BAD_INPUT)
    if smtp is None:
        with unit_of_work(sessions) as session:
            waiting = session.scalar(select(func.count()).where(OutboxMessage.state != "sent"))
        click.echo(
            f"{SMTP_URL_ENV} is not set (e.g. smtp://127.0.0.1:25): {waiting} message(s) "
            "wait in the outbox",
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    if loop:
        click.echo(f"sending the outbox through {smtp.describe()}; Ctrl-C stops")
        try:
            MailLoop(sessions, smtp).run()
        except KeyboardInterrupt:
            return
        return
    from scheduler.mail.loop import sender_id

    done = send_due(sessions, smtp, sender_id("cli"), limit=10_000)
    click.echo(f"{len(done.sent)} sent, {len(done.failed)} to retry (through {smtp.describe()})")
    for message_id, error in done.failed.items():
        click.echo(f"message {message_id}: {error}", err=True)


@mail.command(help="Queue the planners' digest of pending requests (once a day: run it from cron).")
@click.option("--force", is_flag=True, help="Queue it even if one was queued today (UTC).")
def digest(force: bool) -> None:
    from scheduler.services.digest import queue_digest
    from scheduler.storage.db import make_engine, session_factory

    result = queue_digest(session_factory(make_engine()), force=force)
    click.echo(f"digest: {result.reason} ({result.queued} mail(s) queued)")


@mail.command(
    help="Delete the mails sent more than N days ago (never one queued, retried or being "
    "sent). Daily, from cron, beside the digest."
)
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Keep the mails sent in the last N days (default SUNSHIFT_OUTBOX_KEEP_DAYS, 90).",
)
def prune(days: int | None) -> None:
    from scheduler.mail.settings import outbox_keep_days
    from scheduler.services.outbox import prune_sent
    from scheduler.storage.db import make_engine, session_factory

    if days is None:
        try:
            days = outbox_keep_days()
        except ValueError as bad:
            click.echo(str(bad), err=True)
            sys.exit(EXIT_BAD_INPUT)
    removed = prune_sent(session_factory(make_engine()), days)
    click.echo(f"pruned {removed} mail(s) sent more than {days} day(s) ago")
