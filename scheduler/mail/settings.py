"""SMTP settings from ``SUNSHIFT_SMTP_URL`` (and the sender's address, the link base).

    smtp://mail.example.com:25                    plain SMTP (port 25 by default)
    smtp://user:secret@mail.example.com:587?starttls=true   STARTTLS, then AUTH
    smtps://user:secret@mail.example.com:465      TLS from the first byte (465 by default)

User and password are percent-decoded (``%40`` for ``@``). Query keys: ``starttls``
(true/false, smtp:// only), ``timeout`` (seconds, default 30). Anything else is an
error naming the key, read when a sender starts, not when a mail fails.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_URL_ENV = "SUNSHIFT_SMTP_URL"
MAIL_FROM_ENV = "SUNSHIFT_MAIL_FROM"
PUBLIC_URL_ENV = "SUNSHIFT_PUBLIC_URL"
OUTBOX_KEEP_DAYS_ENV = "SUNSHIFT_OUTBOX_KEEP_DAYS"
DEFAULT_OUTBOX_KEEP_DAYS = 90
DEFAULT_FROM = "Sunshift <sunshift@localhost>"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: bool
    """TLS from the start (smtps://)."""
    starttls: bool
    username: str | None
    password: str | None
    timeout: float
    sender: str
    """The From header and envelope sender (SUNSHIFT_MAIL_FROM)."""

    def describe(self) -> str:
        """The server as logs and pages show it (never the password)."""
        how = "TLS" if self.tls else ("STARTTLS" if self.starttls else "plain")
        who = f"{self.username}@" if self.username else ""
        return f"{who}{self.host}:{self.port} ({how})"


def parse_smtp_url(url: str, sender: str = DEFAULT_FROM) -> SmtpSettings:
    """``SmtpSettings`` from a URL, or ``ValueError`` saying what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(
            f"{SMTP_URL_ENV}: expected smtp://host:port or smtps://host:port, got "
            f"scheme {parts.scheme!r}"
        )
    if not parts.hostname:
        raise ValueError(f"{SMTP_URL_ENV}: no host in {_without_password(url)!r}")
    try:
        port = parts.port
    except ValueError as bad:
        raise ValueError(f"{SMTP_URL_ENV}: the port is not a number 1-65535") from bad
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"starttls", "timeout"})
    if unknown:
        raise ValueError(
            f"{SMTP_URL_ENV}: unknown query key {unknown[0]!r} (expected starttls, timeout)"
        )
    starttls = _flag(query.get("starttls", ["false"])[-1])
    if starttls and parts.scheme == "smtps":
        raise ValueError(f"{SMTP_URL_ENV}: starttls is for smtp://; smtps:// is TLS already")
    timeout_text = query.get("timeout", ["30"])[-1]
    try:
        timeout = float(timeout_text)
    except ValueError as bad:
        raise ValueError(f"{SMTP_URL_ENV}: timeout {timeout_text!r} is not seconds") from bad
    if not 0 < timeout <= 600:
        raise ValueError(f"{SMTP_URL_ENV}: timeout must be between 0 and 600 seconds")
    return SmtpSettings(
        host=parts.hostname,
        port=port or (465 if parts.scheme == "smtps" else 25),
        tls=parts.scheme == "smtps",
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        timeout=timeout,
        sender=sender,
    )


def smtp_settings(environ: dict[str, str] | None = None) -> SmtpSettings | None:
    """The configured server, or None when ``SUNSHIFT_SMTP_URL`` is unset (messages
    then wait in the outbox, visible on the outbox page)."""
    environ = os.environ if environ is None else environ
    url = environ.get(SMTP_URL_ENV, "").strip()
    if not url:
        return None
    return parse_smtp_url(url, environ.get(MAIL_FROM_ENV, "").strip() or DEFAULT_FROM)


def public_url(environ: dict[str, str] | None = None) -> str:
    """Where people open Sunshift: links in mails start with it (SUNSHIFT_PUBLIC_URL)."""
    environ = os.environ if environ is None else environ
    return (environ.get(PUBLIC_URL_ENV, "").strip() or DEFAULT_PUBLIC_URL).rstrip("/")


def outbox_keep_days(environ: dict[str, str] | None = None) -> int:
    """How many days ``sunshift mail prune`` keeps sent mails (SUNSHIFT_OUTBOX_KEEP_DAYS,
    90), or ``ValueError`` saying what is wrong: a whole number of days, at least 1."""
    environ = os.environ if environ is None else environ
    raw = environ.get(OUTBOX_KEEP_DAYS_ENV, "").strip()
    if not raw:
        return DEFAULT_OUTBOX_KEEP_DAYS
    try:
        days = int(raw)
    except ValueError as bad:
        raise ValueError(f"{OUTBOX_KEEP_DAYS_ENV}={raw!r} is not a whole number of days") from bad
    if days < 1:
        raise ValueError(f"{OUTBOX_KEEP_DAYS_ENV}={raw!r} must be at least 1 day")
    return days


def _flag(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(f"{SMTP_URL_ENV}: starttls={text!r}, expected true or false")


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)
