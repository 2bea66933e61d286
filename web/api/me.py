"""What an agent may see: his own shifts in published rosters, nobody else's."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from web.api.auth import AGENTS, current_user, token_auth
from web.api.queries import my_shifts
from web.api.schemas import MyShiftListSchema, ShiftQuerySchema
from web.api.session import request_session

me = APIBlueprint("me", __name__, url_prefix="/api/v1", tag="Me")


@me.get("/me/shifts")
@me.auth_required(token_auth, roles=AGENTS)
@me.input(ShiftQuerySchema, location="query", arg_name="window")
@me.output(MyShiftListSchema)
@me.doc(responses=[403])
def shifts(window: dict[str, Any]):
    """My published shifts, in start order (`from`/`to` bound the local dates)"""
    user = current_user()
    code = user.agent_code or ""
    found = my_shifts(request_session(), user, window.get("start"), window.get("end"))
    return {"agent_id": code, "shifts": found}
