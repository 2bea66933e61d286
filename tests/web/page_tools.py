"""Reading the pages as a browser would, with Flask's test client and no browser.

A tiny DOM (``parse_html``) to find elements by tag, id, class or attribute, and
form helpers that do what a person's browser does: open the page, take the form's
hidden fields (the CSRF token among them) and post them with what was typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass(repr=False)
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def __repr__(self) -> str:
        attrs = "".join(f' {k}="{v}"' for k, v in self.attrs.items() if k in ("id", "class"))
        return f"<{self.tag}{attrs}>"

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join(" ".join(parts).split())

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def iter(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        """Descendants of ``tag`` having class ``cls`` and the given attribute values
        (``id="x"``; ``data_date="…"`` matches ``data-date``)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> with class={cls!r} {attrs} in the page"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str | bytes) -> Node:
    builder = _TreeBuilder()
    builder.feed(text.decode("utf-8") if isinstance(text, bytes) else text)
    builder.close()
    return builder.root


def page(response: TestResponse) -> Node:
    assert response.mimetype == "text/html", f"not a page: {response.mimetype}"
    return parse_html(response.get_data(as_text=True))


def _flash_nodes(document: Node) -> list[Node]:
    box = document.find_all("div", cls="flashes")
    return [node for holder in box for node in holder.find_all("p", cls="flash")]


def flash_messages(response: TestResponse) -> list[tuple[str, str]]:
    """(category, text) of each flashed message shown at the top of the page."""
    return [
        (next(iter(sorted(node.classes - {"flash"})), ""), node.text)
        for node in _flash_nodes(page(response))
    ]


def location(response: TestResponse) -> str:
    """The redirect target as a path with its query (the test client answers absolute
    or relative Location headers alike)."""
    target = response.headers.get("Location", "")
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def form_fields(form: Node) -> dict[str, str]:
    """The values a browser would send for a form's inputs without any typing."""
    values: dict[str, str] = {}
    for node in form.find_all("input"):
        name = node.get("name")
        if not name or node.get("type") in ("submit", "button", "file"):
            continue
        if node.get("type") == "checkbox" and "checked" not in node.attrs:
            continue
        values[name] = node.get("value", "") or ""
    for node in form.find_all("select"):
        options = node.find_all("option")
        first = options[0] if options else None
        chosen = next((o for o in options if "selected" in o.attrs), first)
        if node.get("name") and chosen is not None:
            values[node.get("name") or ""] = chosen.get("value", chosen.text) or ""
    return values


def find_form(document: Node, action: str) -> Node:
    forms = [form for form in document.find_all("form") if form.get("action") == action]
    assert forms, f"no form posting to {action} on the page"
    return forms[0]


def submit(
    client: FlaskClient, page_path: str, action: str, data: dict[str, Any] | None = None, **kw: Any
) -> TestResponse:
    """Open ``page_path``, fill the form that posts to ``action`` with ``data`` over its
    own fields (hidden CSRF token included) and submit it."""
    opened = client.get(page_path)
    assert opened.status_code == 200, f"GET {page_path}: {opened.status_code}"
    values: dict[str, Any] = form_fields(find_form(page(opened), action))
    values.update(data or {})
    return client.post(action, data=values, **kw)


def csrf_token(response: TestResponse) -> str:
    """The CSRF token a page's forms carry."""
    node = page(response).find("input", name="csrf_token")
    token = node.get("value")
    assert token, "the page's form has an empty csrf_token"
    return token


def sign_in(
    client: FlaskClient, name: str, password: str, next_path: str | None = None
) -> TestResponse:
    """Sign in through the form as a person would (with ``?next=`` when given)."""
    login_path = "/login" if next_path is None else f"/login?{urlencode({'next': next_path})}"
    return submit(client, login_path, "/login", {"name": name, "password": password})
