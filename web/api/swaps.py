"""Shift swaps over the API: an agent offers, answers and withdraws his own swaps
(``/me/swaps``, ``/swaps/{id}/...``); planners list a period's swaps, decide those that
await them and set the period's auto-approval. Another agent's swap is 404.
"""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, Schema
from apiflask.fields import Boolean, Date, Dict, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range

from scheduler.services import swaps as swap_service
from scheduler.services.errors import NotFound
from scheduler.services.swap_views import my_swaps, period_swaps, swap_view
from scheduler.storage import models as m
from scheduler.storage.models_swaps import SWAP_STATES, ShiftSwap
from web.api.auth import AGENTS, PLANNERS, current_user, token_auth
from web.api.queries import get_or_404
from web.api.schemas import MAX_ID
from web.api.session import request_session, session_factory

swaps = APIBlueprint("swaps", __name__, url_prefix="/api/v1", tag="Swaps")

MAX_TEXT = swap_service.MAX_NOTE_CHARS
AGENTS_AND_PLANNERS = [*AGENTS, *PLANNERS]


class SwapOfferSchema(Schema):
    period_id = Integer(required=True, validate=Range(min=1, max=MAX_ID))
    date = Date(required=True, metadata={"description": "local date of your shift to give"})
    colleague = String(
        required=True,
        validate=Length(min=1, max=64),
        metadata={"description": "the colleague's agent id (agents.csv)"},
    )
    colleague_date = Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "local date of her shift you take in exchange; null: give-away"},
    )
    note = String(load_default="", validate=Length(max=MAX_TEXT))


class SwapAnswerSchema(Schema):
    reason = String(load_default="", validate=Length(max=MAX_TEXT))


class SwapDecisionSchema(Schema):
    approve = Boolean(required=True)
    reason = String(
        load_default="",
        validate=Length(max=MAX_TEXT),
        metadata={"description": "required when declining: both agents see it"},
    )


class SwapAgentSchema(Schema):
    agent_id = String()
    name = String()


class SwapShiftSchema(Schema):
    date = String(metadata={"description": "local date"})
    shift = String()
    site = String()
    start_utc = String()
    end_utc = String()
    start_local = String(metadata={"description": "local time with its UTC offset"})
    end_local = String()
    text = String(metadata={"description": "the shift in words, local times with offset"})


class SwapSchema(Schema):
    id = Integer()
    period_id = Integer()
    state = String(metadata={"description": ", ".join(SWAP_STATES)})
    offerer = Nested(SwapAgentSchema)
    colleague = Nested(SwapAgentSchema)
    offered = Nested(SwapShiftSchema)
    wanted = Nested(SwapShiftSchema, allow_none=True)
    give_away = Boolean()
    note = String()
    reason = String(metadata={"description": "why it awaits a planner, was refused or declined"})
    findings = Dict(metadata={"description": "{violations: [...], coverage: [...]} last judged"})
    created_at = String()
    answered_at = String(allow_none=True)
    decided_at = String(allow_none=True)
    base_version_id = Integer(allow_none=True)
    result_version_id = Integer(allow_none=True)


class SwapInListSchema(SwapSchema):
    """A swap in a list (its own component: the spec is generated in path order, and
    a list met before the single swap would otherwise register ``SwapSchema`` twice)."""


class SwapListSchema(Schema):
    swaps = List(Nested(SwapInListSchema))


class SwapQuerySchema(Schema):
    state = String(load_default=None, validate=OneOf(SWAP_STATES))


class SwapSettingSchema(Schema):
    period_id = Integer(dump_only=True)
    auto_approve = Boolean(
        required=True,
        metadata={"description": "approve swaps that break no rule and lose no coverage"},
    )


# --- agents --------------------------------------------------------------------------------


@swaps.get("/me/swaps")
@swaps.auth_required(token_auth, roles=AGENTS)
@swaps.output(SwapListSchema)
@swaps.doc(responses=[403])
def mine():
    """My swaps, offered and received, newest first"""
    return {"swaps": my_swaps(request_session(), current_user())}


@swaps.post("/me/swaps")
@swaps.auth_required(token_auth, roles=AGENTS)
@swaps.input(SwapOfferSchema, arg_name="body")
@swaps.output(SwapSchema, status_code=201)
@swaps.doc(responses=[403, 404, 409, 422])
def offer(body: dict[str, Any]):
    """Offer one of my published shifts to a colleague

    For her shift on `colleague_date`, or as a give-away (null). Judged at once on
    the published roster: a swap that breaks a hard rule for either agent is 422
    naming the rule (nothing stored); a shift already in an open swap is 409.
    """
    return swap_service.offer_swap(
        session_factory(),
        current_user().id,
        body["period_id"],
        body["date"],
        body["colleague"],
        wanted_date=body["colleague_date"],
        note=body["note"],
    ), 201


@swaps.get("/swaps/<int:swap_id>")
@swaps.auth_required(token_auth, roles=AGENTS_AND_PLANNERS)
@swaps.output(SwapSchema)
@swaps.doc(responses=[403, 404])
def detail(swap_id: int):
    """One swap (an agent reads only his own: another's is 404)"""
    session = request_session()
    swap = get_or_404(session, ShiftSwap, swap_id, "swap")
    user = current_user()
    if user.role == "agent" and not (
        swap_service.repository_is(user, swap.offerer)
        or swap_service.repository_is(user, swap.colleague)
    ):
        raise NotFound(f"no swap with id {swap_id}")
    return swap_view(session, swap)


@swaps.post("/swaps/<int:swap_id>/accept")
@swaps.auth_required(token_auth, roles=AGENTS)
@swaps.output(SwapSchema)
@swaps.doc(responses=[403, 404, 409])
def accept(swap_id: int):
    """Accept a swap offered to me

    Judged again on the roster published now. The answer's `state` says what
    became of it: `approved` (published as a new version, `result_version_id`),
    `awaiting_planner` (a coverage loss, or the period's auto-approval is off) or
    `refused` (a hard rule, named in `reason`). 409 when the swap is no longer
    pending or another publish got there first.
    """
    return swap_service.answer_swap(session_factory(), current_user().id, swap_id, True)


@swaps.post("/swaps/<int:swap_id>/decline")
@swaps.auth_required(token_auth, roles=AGENTS)
@swaps.input(SwapAnswerSchema, arg_name="body")
@swaps.output(SwapSchema)
@swaps.doc(responses=[403, 404, 409])
def decline(swap_id: int, body: dict[str, Any]):
    """Decline a swap offered to me (the reason is optional)"""
    return swap_service.answer_swap(
        session_factory(), current_user().id, swap_id, False, body["reason"]
    )


@swaps.post("/swaps/<int:swap_id>/withdraw")
@swaps.auth_required(token_auth, roles=AGENTS)
@swaps.output(SwapSchema)
@swaps.doc(responses=[403, 404, 409])
def withdraw(swap_id: int):
    """Withdraw my offer while my colleague has not answered"""
    return swap_service.withdraw_swap(session_factory(), current_user().id, swap_id)


# --- planners ------------------------------------------------------------------------------


@swaps.post("/swaps/<int:swap_id>/decision")
@swaps.auth_required(token_auth, roles=PLANNERS)
@swaps.input(SwapDecisionSchema, arg_name="body")
@swaps.output(SwapSchema)
@swaps.doc(responses=[403, 404, 409, 422])
def decide(swap_id: int, body: dict[str, Any]):
    """Approve or decline a swap that awaits a planner

    Approving judges it again and publishes it as a new version (its `state` is
    `refused` with the rule named when it now breaks one; 422 when the roster as a
    whole cannot be published); declining needs a `reason` both agents see.
    """
    return swap_service.decide_swap(
        session_factory(), current_user().id, swap_id, body["approve"], body["reason"]
    )


@swaps.get("/periods/<int:period_id>/swaps")
@swaps.auth_required(token_auth, roles=PLANNERS)
@swaps.input(SwapQuerySchema, location="query", arg_name="query")
@swaps.output(SwapListSchema)
@swaps.doc(responses=[403, 404])
def of_period(period_id: int, query: dict[str, Any]):
    """A period's swaps, newest first (`state` filters, e.g. awaiting_planner)"""
    session = request_session()
    get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    return {"swaps": period_swaps(session, period_id, query.get("state"))}


@swaps.get("/periods/<int:period_id>/swap-settings")
@swaps.auth_required(token_auth, roles=PLANNERS)
@swaps.output(SwapSettingSchema)
@swaps.doc(responses=[403, 404])
def settings(period_id: int):
    """Whether the period approves clean swaps by itself (default: yes)"""
    session = request_session()
    get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    return {"period_id": period_id, "auto_approve": swap_service.auto_approve(session, period_id)}


@swaps.put("/periods/<int:period_id>/swap-settings")
@swaps.auth_required(token_auth, roles=PLANNERS)
@swaps.input(SwapSettingSchema, arg_name="body")
@swaps.output(SwapSettingSchema)
@swaps.doc(responses=[403, 404])
def change_settings(period_id: int, body: dict[str, Any]):
    """Turn the period's auto-approval of clean swaps on or off"""
    return swap_service.set_auto_approve(
        session_factory(), current_user().id, period_id, body["auto_approve"]
    )
