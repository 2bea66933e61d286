"""In a real browser, a planner narrows the agents table by site and by language
through the filter form, and the form keeps what was chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SITE_COLUMN = 2
LANGUAGES_COLUMN = 3


def filter_agents(page: Page, site_label: str | None = None, language: str | None = None) -> None:
    """Choose in the form and press Show, as a user would."""
    if site_label is not None:
        page.get_by_label("Site").select_option(label=site_label)
    if language is not None:
        page.get_by_label("Language").select_option(label=language)
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()


def shown_rows(page: Page) -> list[list[str]]:
    rows = page.locator("main table tbody tr")
    return [row.locator("td").all_inner_texts() for row in rows.all()]


def test_agents_page_lists_everyone_unfiltered(demo_server, laptop_page):
    page = laptop_page
    page.goto(demo_server.url("/agents"))
    total = len(demo_server.scenario.agents)
    assert len(shown_rows(page)) == total
    assert page.locator("h1 small").inner_text() == f"{total} of {total}"


def test_filter_by_site(demo_server, laptop_page):
    page = laptop_page
    scenario = demo_server.scenario
    page.goto(demo_server.url("/agents"))
    filter_agents(page, site_label="Dublin")

    expected = sorted(agent.id for agent in scenario.agents if agent.site_id == "dub")
    rows = shown_rows(page)
    assert expected and sorted(row[0] for row in rows) == expected
    assert {row[SITE_COLUMN] for row in rows} == {"Dublin"}
    assert page.locator("h1 small").inner_text() == f"{len(expected)} of {len(scenario.agents)}"
    assert "site=dub" in page.url
    assert page.get_by_label("Site").input_value() == "dub"


def test_filter_by_language(demo_server, laptop_page):
    page = laptop_page
    scenario = demo_server.scenario
    page.goto(demo_server.url("/agents"))
    filter_agents(page, language="ja")

    expected = sorted(agent.id for agent in scenario.agents if "ja" in agent.languages)
    rows = shown_rows(page)
    assert expected and sorted(row[0] for row in rows) == expected
    assert all("ja" in row[LANGUAGES_COLUMN].split(", ") for row in rows)
    assert page.get_by_label("Language").input_value() == "ja"


def test_filters_combine_and_can_be_cleared(demo_server, laptop_page):
    page = laptop_page
    scenario = demo_server.scenario
    page.goto(demo_server.url("/agents"))
    filter_agents(page, site_label="Toronto", language="fr")

    expected = sorted(
        agent.id for agent in scenario.agents if agent.site_id == "yyz" and "fr" in agent.languages
    )
    rows = shown_rows(page)
    assert expected and sorted(row[0] for row in rows) == expected
    assert {row[SITE_COLUMN] for row in rows} == {"Toronto"}

    filter_agents(page, site_label="all", language="all")
    assert len(shown_rows(page)) == len(scenario.agents)
