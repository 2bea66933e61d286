"""POST /api/v1/periods/{id}/candidates: ranked changes with what each is proved to be
worth at most and what a confirming solve found, for planners only."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer


@pytest.mark.slow  # the ranking's screens take up to 15 s (SCREEN_SECONDS) by design
def test_a_planner_gets_ranked_changes_whose_figures_hold(client, tokens, on_solved_spec):
    # a short confirming solve: the figures must hold for any roster it finds
    answer = client.post(
        f"/api/v1/periods/{on_solved_spec.period_id}/candidates",
        json={"confirm": 1, "confirm_seconds": 1},
        headers=bearer(tokens["planner"]),
    )
    assert answer.status_code == 200, answer.json
    ranking = answer.json
    kinds = {c["kind"] for c in ranking["candidates"]}
    assert {"hire", "teach"} <= kinds
    [confirmed] = [c for c in ranking["candidates"] if c["found"] is not None]
    assert confirmed == ranking["candidates"][0]  # confirmed candidates rank first
    # the confirming solve starts from the roster: never worse; and never below its bound
    assert 0 <= confirmed["found"] <= confirmed["proved"]
    assert confirmed["shortfall_after"] >= confirmed["bound_after"]
    assert ranking["shortfall"] - confirmed["found"] == confirmed["shortfall_after"]
    for candidate in ranking["candidates"]:
        assert candidate["capacity"] >= 0
        if candidate["screened"] is not None:
            assert candidate["screened"] >= 0


def test_only_planners_rank_and_unknown_periods_are_404(client, tokens):
    for role in ("agent", "hr"):
        answer = client.post("/api/v1/periods/1/candidates", json={}, headers=bearer(tokens[role]))
        assert answer.status_code == 403
    answer = client.post(
        "/api/v1/periods/999/candidates", json={}, headers=bearer(tokens["planner"])
    )
    assert answer.status_code == 404
