"""Agents' requests apart from planners' work: ``sunshift serve --planner-workers N``.

The load test (docs/operations.md) showed agents' cheap requests (a few ms of CPU each)
waiting hundreds of ms behind planners' CPU-heavy ones (an edit, a roster page's figures)
in the same processes: a Python process runs one thread's Python at a time (the GIL), and
every process competed for the same cores at the same priority. So the server runs two
pools of processes:

* the **front** (``--workers`` processes, at the server's priority) answers the agents'
  routes (``serves_agents``: their pages, calendar feeds, ``/api/v1/me/…``, sign-in,
  static files, ``/healthz``) itself and hands every other request to the planners' pool
  over a Unix socket (``Forward``), streaming the answer back; a forwarded request waits
  on a front thread without using its CPU;
* the **planners' pool** (``--planner-workers`` gunicorn processes at ``nice
  --planner-nice``) answers those: planners', HR's and admins' pages and API, edits,
  uploads, solves. It takes the client's address and scheme the front saw from the
  ``X-Sunshift-Client`` and ``X-Sunshift-Scheme`` headers (``FromFront``), which the front
  always sets itself, dropping any a client sent; the socket lives in a directory only
  the server's user can open.

Behind a reverse proxy, the proxy can route the same way (docs/operations.md).
"""

from __future__ import annotations

import html
import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from web.api.errors import ERROR_CODES
from web.ui import API_PATHS, ERROR_TITLES
from web.ui.security import SECURITY_HEADERS

AGENT_PREFIXES = ("/me/", "/ical/", "/api/v1/me/", "/static/")
AGENT_PATHS = frozenset({"/", "/me", "/login", "/logout", "/healthz", "/favicon.ico"})

CLIENT_HEADER = "X-Sunshift-Client"
SCHEME_HEADER = "X-Sunshift-Scheme"
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
FRAMING = frozenset({"content-length", "content-type", "expect"})
"""Request headers the front sets itself from what it read (never a client's copy)."""
IDLE_SECONDS = 30.0
"""A kept connection to the pool idle longer is closed, not reused: the pool's workers
close idle ones after 75 s, and one closed just as a request is sent on it would fail."""
TIMEOUT_SECONDS = 125.0
"""How long a forwarded request may take (the pool's workers are replaced after 120 s)."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS = 5
"""What the front's 503 asks a client to wait when the pool does not answer."""

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


def serves_agents(path: str) -> bool:
    """Whether the front answers ``path`` itself (what agents read and sign-in)."""
    return path in AGENT_PATHS or path.startswith(AGENT_PREFIXES)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


class Forward:
    """WSGI middleware of the front: agents' routes to ``app``, the rest to the pool
    listening on ``socket_path``."""

    def __init__(self, app: WSGIApp, socket_path: str, timeout: float = TIMEOUT_SECONDS):
        self.app = app
        self.socket_path = socket_path
        self.timeout = timeout
        self._idle: list[tuple[float, _UnixConnection]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if serves_agents(environ.get("PATH_INFO", "") or "/"):
            return self.app(environ, start_response)
        return self.forward(environ, start_response)

    def _connection(self) -> tuple[_UnixConnection, bool]:
        """A kept connection (True) or a new one (False)."""
        now = time.monotonic()
        with self._lock:
            while self._idle:
                since, connection = self._idle.pop()
                if now - since < IDLE_SECONDS:
                    return connection, True
                connection.close()
        return _UnixConnection(self.socket_path, self.timeout), False

    def _keep(self, connection: _UnixConnection) -> None:
        with self._lock:
            self._idle.append((time.monotonic(), connection))

    def forward(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        headers = request_headers(environ)
        length = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        body: Any = None
        if chunked:  # handed on in chunks as it comes: never held whole (the pool
            # limits its size, as it does a Content-Length's)
            body = _Chunked(environ["wsgi.input"])
            headers.append(("Transfer-Encoding", "chunked"))
        elif length.strip() and int(length) > 0:
            body = _Limited(environ["wsgi.input"], int(length))
            headers.append(("Content-Length", str(int(length))))
        target = request_target(environ)
        for attempt in (1, 2):
            connection, kept = self._connection()
            try:
                connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
                for name, value in headers:
                    connection.putheader(name, value)
                connection.endheaders()
                whole = body is None or _send_body(connection, body)
                answer = connection.getresponse()
                break
            except (ConnectionError, http.client.HTTPException, OSError) as problem:
                connection.close()
                # a kept connection the pool closed meanwhile: try once more on a new one,
                # but only a read with no body: a POST (or a request that timed out) may
                # have reached the pool and done its work, and must not be done twice
                if kept and attempt == 1 and retriable(method, body, problem):
                    continue
                return unavailable(environ, start_response, problem)
        answer_headers = [
            (name, value) for name, value in answer.getheaders() if name.lower() not in HOP_BY_HOP
        ]
        start_response(f"{answer.status} {answer.reason}", answer_headers)
        return _Body(answer, connection, self, reusable=whole)


def retriable(method: str, body: Any, problem: Exception) -> bool:
    """Whether a request that failed on a kept connection may be sent again."""
    return method in SAFE_METHODS and body is None and not isinstance(problem, TimeoutError)


class _Limited:
    """``wsgi.input`` read up to its Content-Length, in blocks."""

    def __init__(self, stream: Any, length: int) -> None:
        self.stream, self.left = stream, length

    def read(self, size: int = 65536) -> bytes:
        if self.left <= 0:
            return b""
        block = self.stream.read(min(size, self.left))
        self.left -= len(block)
        if not block:
            self.left = 0
        return block


class _Chunked:
    """A chunked ``wsgi.input`` (the server took the chunks apart) made into chunks again
    for the pool, a block at a time; the last, empty chunk ends it."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.done = stream, False

    def read(self, size: int = 65536) -> bytes:
        if self.done:
            return b""
        block = self.stream.read(size)
        if not block:
            self.done = True
            return b"0\r\n\r\n"
        return b"%x\r\n%s\r\n" % (len(block), block)


def _send_body(connection: http.client.HTTPConnection, body: Any) -> bool:
    """Whether the pool took the whole body; if it closed the connection before (it
    answered without reading it all: too large, not signed in, rate limited), its
    answer is read all the same."""
    while block := body.read(65536):
        try:
            connection.send(block)
        except (BrokenPipeError, ConnectionResetError):
            return False
    return True


class _Body:
    """The pool's answer, streamed; the connection is kept for the next request once the
    answer was read to its end."""

    def __init__(
        self, answer: http.client.HTTPResponse, connection, owner: Forward, reusable: bool
    ) -> None:
        self.answer, self.connection, self.owner = answer, connection, owner
        self.done, self.reusable = False, reusable

    def __iter__(self) -> Iterator[bytes]:
        while block := self.answer.read(65536):
            yield block
        self.done = True

    def close(self) -> None:
        if self.done and self.reusable and not self.answer.will_close:
            self.owner._keep(self.connection)
        else:
            self.connection.close()


def request_target(environ: dict) -> str:
    """The request's path and query as the client sent them."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw and raw.startswith("/"):
        return raw
    from urllib.parse import quote

    path = quote(
        (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1"),
        safe="/;:@&=+$,!~*'()%",
    )
    query = environ.get("QUERY_STRING", "")
    return path + (f"?{query}" if query else "")


def request_headers(environ: dict) -> list[tuple[str, str]]:
    """The client's headers (no hop-by-hop ones, none of ours), then ours: the client's
    address and the scheme as the front saw them (after its own proxy settings)."""
    headers = []
    for key, value in environ.items():
        if not key.startswith("HTTP_"):
            continue
        name = key[5:].replace("_", "-").title()
        lower = name.lower()
        # Expect: 100-continue was the front's to answer (the body is read already);
        # the body's length and type are CONTENT_LENGTH and CONTENT_TYPE: an
        # HTTP_CONTENT_LENGTH is a client's ``Content_Length`` some servers map to it
        if lower in HOP_BY_HOP or lower in FRAMING or lower.startswith("x-sunshift-"):
            continue
        headers.append((name, value))
    if "HTTP_HOST" not in environ:  # an HTTP/1.0 client: links need a host
        headers.append(("Host", f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    headers.append((CLIENT_HEADER, environ.get("REMOTE_ADDR") or ""))
    headers.append((SCHEME_HEADER, environ.get("wsgi.url_scheme", "http")))
    return headers


def unavailable(environ: dict, start_response: StartResponse, problem: Exception) -> list[bytes]:
    """The front's own 503 when the pool is down or does not answer, as the app answers
    its errors: the API's JSON shape (``web.api.errors``) on ``/api/`` paths, a small
    page otherwise; ``Retry-After`` and the pages' security headers on both."""
    method = environ.get("REQUEST_METHOD", "GET")
    what = type(problem).__name__
    # a request that reached the pool may have done its work before the answer was lost
    maybe_done = method not in SAFE_METHODS and not isinstance(
        problem, (FileNotFoundError, ConnectionRefusedError)
    )
    if (environ.get("PATH_INFO", "") or "/").startswith(API_PATHS):
        message = f"the planners' pool did not answer ({what}); try again in a moment"
        if maybe_done:
            message += ": the change may have been made, read it back before sending it again"
        body = json.dumps({"error": ERROR_CODES[503], "message": message}).encode()
        content_type = "application/json"
    else:
        body = _unavailable_page(environ, ERROR_TITLES[503], what, maybe_done).encode()
        content_type = "text/html; charset=utf-8"
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Retry-After", str(RETRY_AFTER_SECONDS)),
        ("Cache-Control", "no-store"),
        *SECURITY_HEADERS.items(),
    ]
    start_response("503 Service Unavailable", headers)
    return [b"" if method == "HEAD" else body]


def _unavailable_page(environ: dict, title: str, what: str, maybe_done: bool) -> str:
    """The error page's look (``error.html``) without the app: its stylesheet is served
    by the front, and nothing here needs a template, the database or the session."""
    root = html.escape(environ.get("SCRIPT_NAME", "").rstrip("/"))
    done = (
        "<p>If you were saving a change, it may have been made: reload the page to see "
        "before sending it again.</p>"
        if maybe_done
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>503 {html.escape(title)} · Sunshift</title>
  <link rel="icon" href="{root}/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{root}/static/style.css">
</head>
<body>
  <header class="top"><a class="brand" href="{root}/">Sunshift</a></header>
  <main id="content" tabindex="-1">
    <section class="narrow card error-page">
      <p class="status-code">503</p>
      <h1>{html.escape(title)}</h1>
      <p>The planners' part of Sunshift did not answer ({html.escape(what)}): try again in a
      few seconds.</p>
      {done}
      <p><a href="{root}/">Go to your start page</a></p>
    </section>
  </main>
</body>
</html>
"""


class FromFront:
    """WSGI middleware of the planners' pool: the client's address and scheme are those
    the front saw (the only thing that can reach the pool's socket is the front)."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        client = environ.pop("HTTP_X_SUNSHIFT_CLIENT", None)
        scheme = environ.pop("HTTP_X_SUNSHIFT_SCHEME", None)
        if client is not None:
            environ["REMOTE_ADDR"] = client
        if scheme in ("http", "https"):
            environ["wsgi.url_scheme"] = scheme
        return self.app(environ, start_response)
