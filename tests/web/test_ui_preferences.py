"""Preferences through the pages: an agent states and withdraws his own, a planner
sets the limits and sees every wish, and the next solve reads them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scheduler import services
from scheduler.domain import Preference
from scheduler.services import preferences as wishes
from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.models_preferences import AgentPreference
from scheduler.storage.scenario_store import load_period_scenario
from tests.web.conftest import signed_in_client
from tests.web.page_tools import csrf_token, flash_messages, page, submit

PAGE = "/me/preferences"


def _state(client, period_id: int, kind: str, value: str):
    return submit(
        client,
        PAGE,
        f"/me/preferences/{period_id}",
        {"kind": kind, "value": value},
        follow_redirects=True,
    )


def _scenario_preferences(url: str, period_id: int) -> tuple[Preference, ...]:
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine)) as session:
            return load_period_scenario(session, period_id, demand=False).preferences
    finally:
        engine.dispose()


def test_an_agent_states_a_wish_the_planner_sees_and_the_solver_reads(fresh_demo, demo, demo_today):
    agent = signed_in_client(fresh_demo.app, "a0001")
    answer = _state(agent, demo.period_id, "day_off", "sun")
    assert [c for c, _ in flash_messages(answer)] == ["success"]
    assert "Weekday off: Sunday" in page(agent.get(PAGE)).text
    planner = signed_in_client(fresh_demo.app, "planner")
    listing = page(planner.get(f"/periods/{demo.period_id}/preferences"))
    assert "A0001" in listing.text and "Weekday off: Sunday" in listing.text
    assert Preference("A0001", "day_off", weekday=6) in _scenario_preferences(
        fresh_demo.url, demo.period_id
    )


def test_a_wish_outside_the_rules_is_refused_with_what_was_expected(fresh_demo, demo, demo_today):
    agent = signed_in_client(fresh_demo.app, "a0001")
    answer = _state(agent, demo.period_id, "avoid_date", "2031-01-01")
    [(category, text)] = flash_messages(answer)
    assert category == "error" and "outside the period" in text and "2027-03-22" in text
    answer = _state(agent, demo.period_id, "shift", "no-such-shift")
    [(category, text)] = flash_messages(answer)
    assert category == "error" and "one of your shifts" in text
    assert _scenario_preferences(fresh_demo.url, demo.period_id) == ()


def test_the_planners_limit_holds_and_a_lower_limit_drops_nothing(fresh_demo, demo, demo_today):
    agent = signed_in_client(fresh_demo.app, "a0001")
    assert flash_messages(_state(agent, demo.period_id, "day_off", "sat"))[0][0] == "success"
    planner = signed_in_client(fresh_demo.app, "planner")
    saved = submit(
        planner,
        f"/periods/{demo.period_id}/preferences",
        f"/periods/{demo.period_id}/preferences/limits",
        {"shift": "3", "day_off": "1", "avoid_date": "4"},
        follow_redirects=True,
    )
    assert flash_messages(saved)[0][0] == "success"
    [(category, text)] = flash_messages(_state(agent, demo.period_id, "day_off", "sun"))
    assert category == "error" and "at most 1" in text
    assert _scenario_preferences(fresh_demo.url, demo.period_id) == (
        Preference("A0001", "day_off", weekday=5),
    )


def test_nobody_withdraws_another_agents_wish(fresh_demo, demo, demo_today):
    owner = signed_in_client(fresh_demo.app, "a0001")
    _state(owner, demo.period_id, "day_off", "sun")
    engine = make_engine(fresh_demo.url)
    with unit_of_work(session_factory(engine)) as session:
        wish_id = session.scalar(select(AgentPreference.id))
    other = signed_in_client(fresh_demo.app, "a0029")
    token = csrf_token(other.get(PAGE))
    answer = other.post(
        f"/me/preferences/withdraw/{wish_id}", data={"csrf_token": token}, follow_redirects=True
    )
    [(category, text)] = flash_messages(answer)
    assert category == "error" and "no preference of yours" in text
    assert len(_scenario_preferences(fresh_demo.url, demo.period_id)) == 1
    engine.dispose()


def test_the_same_wish_twice_is_one_wish(fresh_demo, demo):
    engine = make_engine(fresh_demo.url)
    try:
        with unit_of_work(session_factory(engine)) as session:
            user = session.scalar(select(m.User).where(m.User.name == "a0001"))
            wishes.state_preference(session, user, demo.period_id, "day_off", "mon")
        with pytest.raises(services.Conflict), unit_of_work(session_factory(engine)) as session:
            user = session.scalar(select(m.User).where(m.User.name == "a0001"))
            wishes.state_preference(session, user, demo.period_id, "day_off", "Monday")
    finally:
        engine.dispose()
    assert _scenario_preferences(fresh_demo.url, demo.period_id) == (
        Preference("A0001", "day_off", weekday=0),
    )


def test_the_roster_page_shows_how_steady_each_agents_weeks_are(as_user, demo):
    document = page(as_user("planner").get(f"/rosters/{demo.published_id}"))
    section = document.find("section", id="patterns")
    assert section is not None and "Start times per worked week" in section.text
