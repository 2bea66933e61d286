"""What would help: the ranked changes that would cut a period's shortfall most."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, Schema
from apiflask.fields import Float, Integer, List, Nested, String
from apiflask.validators import Range

from scheduler.services.ranking import MAX_CONFIRM_SECONDS, MAX_CONFIRMED, rank_period
from web.api.auth import PLANNERS, token_auth
from web.api.schemas import MAX_ID
from web.api.session import session_factory

candidates = APIBlueprint("candidates", __name__, url_prefix="/api/v1", tag="Periods")


class RankRequestSchema(Schema):
    version_id = Integer(
        load_default=None,
        allow_none=True,
        validate=Range(min=1, max=MAX_ID),
        metadata={"description": "the roster to rank against (default: published, else newest)"},
    )
    confirm_seconds = Float(load_default=10.0, validate=Range(min=1, max=MAX_CONFIRM_SECONDS))
    confirm = Integer(load_default=2, validate=Range(min=0, max=MAX_CONFIRMED))


class CandidateSchema(Schema):
    kind = String(metadata={"description": "hire, teach or holidays"})
    label = String()
    site = String()
    languages = List(String())
    hours = Float()
    agent_id = String()
    language = String()
    capacity = Integer(
        metadata={"description": "proved: the best possible shortfall falls by at most this"}
    )
    screened = Integer(allow_none=True, metadata={"description": "found by a greedy fill"})
    found = Integer(allow_none=True, metadata={"description": "found by a confirming solve"})
    proved = Integer(
        allow_none=True,
        metadata={"description": "proved: at most this less shortfall than the roster's"},
    )
    shortfall_after = Integer(allow_none=True)
    bound_after = Integer(allow_none=True)


class RankingSchema(Schema):
    version_id = Integer()
    shortfall = Integer()
    bound = Integer(allow_none=True)
    seconds = Float()
    candidates = List(Nested(CandidateSchema))


@candidates.post("/periods/<int:period_id>/candidates")
@candidates.auth_required(token_auth, roles=PLANNERS)
@candidates.input(RankRequestSchema, arg_name="options")
@candidates.output(RankingSchema)
@candidates.doc(responses=[403, 404, 429])
def rank_candidates(period_id: int, options: dict[str, Any]):
    """Rank hires, new languages and holiday work by what they would cut (seconds to a
    minute: the best few are confirmed by short solves; one ranking at a time)."""
    ranking, version_id = rank_period(
        session_factory(),
        period_id,
        options["version_id"],
        options["confirm_seconds"],
        options["confirm"],
    )
    return {
        "version_id": version_id,
        "shortfall": ranking.shortfall,
        "bound": ranking.bound,
        "seconds": ranking.seconds,
        "candidates": [item.as_dict() for item in ranking.ranked],
    }
