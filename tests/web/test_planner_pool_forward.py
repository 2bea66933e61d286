"""web.planner_pool: the front answers agents' routes itself and hands the rest to the
planners' pool on a Unix socket, as the client sent them (method, path, query, body,
headers), with the client's address and scheme the front saw and none a client made up;
the pool's answer comes back whole (status, repeated headers, body); no pool: 503."""

from __future__ import annotations

import json
import threading

import pytest
from werkzeug.test import Client, EnvironBuilder, run_wsgi_app

from web.planner_pool import Forward, FromFront, serves_agents


def pool_app(environ, start_response):
    if environ["PATH_INFO"] == "/count":  # the body's length, read in blocks
        length = 0
        while block := environ["wsgi.input"].read(65536):
            length += len(block)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(length).encode()]
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "query": environ["QUERY_STRING"],
        "body": body.decode(),
        "remote": environ.get("REMOTE_ADDR"),
        "scheme": environ["wsgi.url_scheme"],
        "cookie": environ.get("HTTP_COOKIE"),
        "made_up": environ.get("HTTP_X_SUNSHIFT_CLIENT"),
        "expect": environ.get("HTTP_EXPECT"),
        "host": environ.get("HTTP_HOST"),
        "content_type": environ.get("CONTENT_TYPE"),
    }
    start_response(
        "409 Conflict",
        [("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
    )
    return [json.dumps(seen).encode()]


def front_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"front"]


@pytest.fixture
def pool(tmp_path):
    from waitress.server import create_server

    path = str(tmp_path / "pool.sock")
    server = create_server(FromFront(pool_app), unix_socket=path, threads=2)
    closing = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # its sockets closed under its select() at the end
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield path
    closing.set()
    server.close()
    thread.join(timeout=5)


def test_agents_routes_are_the_fronts_and_the_rest_the_pools():
    for path in ("/", "/me", "/me/swaps", "/ical/abc.ics", "/api/v1/me/shifts", "/login"):
        assert serves_agents(path), path
    for path in ("/periods", "/rosters/3", "/api/v1/assignments/9", "/meta", "/mex/1"):
        assert not serves_agents(path), path


def test_forwarded_as_sent_with_the_client_the_front_saw(pool):
    client = Client(Forward(front_app, pool), use_cookies=False)
    assert client.get("/me/swaps").get_data() == b"front"
    answer = client.post(
        "/api/v1/rosters/3/assignments?x=1&y=%C3%A9",
        data=b'{"agent_id": "A1"}',
        headers={
            "Content-Type": "application/json",
            "Cookie": "session=s1",
            "X-Sunshift-Client": "6.6.6.6",  # made up by the client: dropped
            "Expect": "100-continue",  # the front's to answer: not handed on
        },
        environ_overrides={"REMOTE_ADDR": "10.1.2.3", "wsgi.url_scheme": "https"},
    )
    assert answer.status_code == 409
    assert answer.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    seen = answer.get_json()
    assert seen == {
        "method": "POST",
        "path": "/api/v1/rosters/3/assignments",
        "query": "x=1&y=%C3%A9",
        "body": '{"agent_id": "A1"}',
        "remote": "10.1.2.3",
        "scheme": "https",
        "cookie": "session=s1",
        "made_up": None,
        "expect": None,
        "host": "localhost",
        "content_type": "application/json",
    }
    for _ in range(3):  # the kept connection is used again
        assert client.get("/periods").get_json()["method"] == "GET"


def test_no_pool_answers_503_with_retry_after(tmp_path):
    client = Client(Forward(front_app, str(tmp_path / "missing.sock")))
    answer = client.get("/periods")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert client.get("/me").status_code == 200


def test_no_pool_answers_as_the_app_does_json_for_the_api_a_page_otherwise(tmp_path):
    """The front's own 503 is the app's: the API's JSON error shape on ``/api/`` paths,
    the error page's look otherwise, both with ``Retry-After`` and the pages' security
    headers (CSP, no framing, no sniffing), never cached."""
    from web.ui.security import SECURITY_HEADERS

    client = Client(Forward(front_app, str(tmp_path / "missing.sock")))
    api = client.post("/api/v1/rosters/3/assignments", json={"agent_id": "A1"})
    page = client.get("/periods/4")
    for answer in (api, page):
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "5"
        assert answer.headers["Cache-Control"] == "no-store"
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers[name] == value, name
    assert api.mimetype == "application/json"
    assert api.get_json()["error"] == "unavailable"
    # nothing reached the pool: nothing to read back first
    assert "FileNotFoundError" in api.get_json()["message"]
    assert "may have been made" not in api.get_json()["message"]
    assert set(api.get_json()) == {"error", "message"}
    assert page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert text.startswith("<!doctype html>") and '<html lang="en">' in text
    assert "<h1>The service is busy or restarting</h1>" in text
    assert 'href="/static/style.css"' in text and "<script" not in text and "style=" not in text
    assert client.head("/periods").get_data() == b""


@pytest.fixture
def scripted_pool(tmp_path):
    """A pool on a Unix socket that records each request line with its connection's
    number and, by path, answers and keeps the connection (any), answers and closes it
    (``/close``), closes it without answering (``/drop``) or never answers (``…/hang``)."""
    import socket

    path = str(tmp_path / "scripted.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    seen: list[str] = []

    def serve(connection: socket.socket, number: int) -> None:
        with connection:
            data = b""
            while True:
                while b"\r\n\r\n" not in data:
                    block = connection.recv(65536)
                    if not block:
                        return
                    data += block
                head, data = data.split(b"\r\n\r\n", 1)
                method, target = head.split(b"\r\n", 1)[0].decode().split(" ")[:2]
                seen.append(f"{number} {method} {target}")
                if target == "/drop":
                    return
                if target.endswith("/hang"):
                    connection.recv(1)  # until the front closes it
                    return
                if target == "/early":  # as a 413 (or a 401) with the body left unread
                    connection.sendall(
                        b"HTTP/1.1 413 Content Too Large\r\nContent-Length: 8\r\n"
                        b"Connection: close\r\n\r\ntoo much"
                    )
                    return
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                if target == "/close":
                    return

    def accept() -> None:
        number = 0
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            number += 1
            threading.Thread(target=serve, args=(connection, number), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield path, seen
    listener.close()


def test_a_kept_connection_closed_meanwhile_is_retried_for_reads_only(scripted_pool):
    path, seen = scripted_pool
    client = Client(Forward(front_app, path, timeout=0.5), use_cookies=False)
    # buffered: the answer is closed at once, as a WSGI server closes it once sent
    assert client.get("/periods", buffered=True).get_data() == b"ok"
    assert client.get("/close", buffered=True).get_data() == b"ok"  # kept; the pool closes it
    assert client.get("/periods", buffered=True).get_data() == b"ok"  # again, on a new one
    # a POST the pool read and then lost its connection over may have done its work:
    # never sent twice (the client is told to try again)
    assert client.post("/drop", buffered=True).status_code == 503
    assert seen == ["1 GET /periods", "1 GET /close", "2 GET /periods", "2 POST /drop"]


def test_a_request_that_timed_out_is_not_sent_again(scripted_pool):
    path, seen = scripted_pool
    client = Client(Forward(front_app, path, timeout=0.3), use_cookies=False)
    assert client.get("/periods", buffered=True).get_data() == b"ok"
    answer = client.get("/hang", buffered=True)  # the pool took it on the kept connection
    assert answer.status_code == 503 and "TimeoutError" in answer.get_data(as_text=True)
    assert seen == ["1 GET /periods", "1 GET /hang"]


def test_a_change_the_pool_may_have_made_is_said_so(scripted_pool):
    """A POST sent to the pool whose answer was lost may have been done: the 503 says to
    read it back before sending it again (in JSON and on the page)."""
    path, _seen = scripted_pool
    client = Client(Forward(front_app, path, timeout=0.3), use_cookies=False)
    api = client.post("/api/v1/hang", buffered=True)
    assert api.status_code == 503 and api.mimetype == "application/json"
    assert "TimeoutError" in api.get_json()["message"]
    assert "may have been made" in api.get_json()["message"]
    page = client.post("/hang", buffered=True)
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "it may have been made" in page.get_data(as_text=True)


def test_underscore_variants_neither_spoof_nor_frame(pool):
    """A WSGI server may map ``X_Sunshift_Client`` or ``Content_Length`` to the same
    environ key as the real header (werkzeug's does; gunicorn and waitress drop them):
    neither reaches the pool, whose framing is only the body the front read."""
    client = Client(Forward(front_app, pool), use_cookies=False)
    answer = client.post(
        "/periods",
        data=b"a=1&b=2",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X_Sunshift_Client": "6.6.6.6",
            "x-sunshift-scheme": "https",
            "Content_Length": "0",
            "Content_Type": "text/evil",
        },
        environ_overrides={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert answer.status_code == 409
    seen = answer.get_json()
    assert (seen["body"], seen["remote"], seen["scheme"], seen["made_up"]) == (
        "a=1&b=2",
        "10.1.2.3",
        "http",
        None,
    )
    assert seen["content_type"] == "application/x-www-form-urlencoded"


def test_head_answers_headers_only_and_keeps_the_connection(pool):
    client = Client(Forward(front_app, pool), use_cookies=False)
    answer = client.head("/periods")
    assert answer.status_code == 409 and answer.get_data() == b""
    assert answer.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    assert client.get("/periods").get_json()["method"] == "GET"


def test_an_answer_before_the_body_was_read_reaches_the_client(scripted_pool):
    """The pool may answer before it read the body (too large, not signed in, rate
    limited) and close the connection: the client gets that answer, not a 503."""
    path, seen = scripted_pool
    forward = Forward(front_app, path, timeout=5)
    answer = Client(forward).post("/early", data=b"x" * 8 * 1024 * 1024, buffered=True)
    assert (answer.status_code, answer.get_data()) == (413, b"too much")
    body, status, _ = run_wsgi_app(forward, chunked_environ("/early", 8 * 1024 * 1024), True)
    assert (status, b"".join(body)) == ("413 Content Too Large", b"too much")
    assert seen == ["1 POST /early", "2 POST /early"]
    assert Client(forward).get("/periods", buffered=True).get_data() == b"ok"  # a new one


class Lazy:
    """A client's chunked body as a WSGI server hands it on: ``size`` bytes, made as
    they are read (``read()`` with no size reads all that is left, as a stream would)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        self.left -= size
        return b"x" * size


def chunked_environ(path: str, size: int) -> dict:
    """A POST of ``size`` bytes sent chunked, as the front's server hands it on."""
    environ = EnvironBuilder(path=path, method="POST").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": Lazy(size)})
    return environ


def test_a_chunked_body_is_streamed_to_the_pool_not_held(pool):
    """A client's chunked body (no Content-Length) goes on in blocks: the front never
    holds it whole (a 16 MiB body here; any size a client cares to send before)."""
    import tracemalloc

    size = 16 * 1024 * 1024
    environ = chunked_environ("/count", size)
    tracemalloc.start()
    try:
        body, status, _ = run_wsgi_app(Forward(front_app, pool), environ, buffered=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (status, b"".join(body)) == ("200 OK", str(size).encode())
    assert peak < 4 * 1024 * 1024, peak
