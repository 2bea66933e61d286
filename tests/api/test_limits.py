"""Limits answer 429 with Retry-After (issue 13, finding 3), and a job reads as it
truly is (finding 5): the API never shows `running` for a worker that died."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from scheduler.storage import models as m
from scheduler.storage import repository
from tests.api.conftest import bearer, scenario_upload
from web.api.session import session_factory


def _import(client, token, folder, name) -> int:
    answer = client.post(
        "/api/v1/periods",
        headers=bearer(token),
        data=scenario_upload(folder) | {"name": name},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _queued_for(app, period_id: int, user_name: str, n: int) -> list[int]:
    with app.app_context(), session_factory().begin() as session:
        user = session.query(m.User).filter_by(name=user_name).one()
        jobs = [
            repository.enqueue_solve_job(session, period_id, {"time_limit_seconds": 90.0}, user)
            for _ in range(n)
        ]
        session.flush()
        return [job.id for job in jobs]


def _assert_429(answer, limit: str) -> None:
    assert answer.status_code == 429, answer.json
    wait = int(answer.headers["Retry-After"])
    assert wait >= 1
    assert answer.json["error"] == "too_many_requests"
    assert answer.json["retry_after"] == wait
    assert answer.json["limit"] == limit


def test_uploads_past_a_users_rate_answer_429_with_retry_after(
    client, tokens, spec_example_dir, monkeypatch
):
    monkeypatch.setenv("SUNSHIFT_UPLOAD_RATE", "2 per hour")
    _import(client, tokens["planner"], spec_example_dir, "one")
    _import(client, tokens["planner"], spec_example_dir, "two")

    answer = client.post(
        "/api/v1/periods",
        headers=bearer(tokens["planner"]),
        data=scenario_upload(spec_example_dir) | {"name": "three"},
        content_type="multipart/form-data",
    )

    _assert_429(answer, "upload")
    assert answer.json["message"].startswith("too many uploads: at most 2 per hour")
    assert 3000 < int(answer.headers["Retry-After"]) <= 3600
    _import(client, tokens["admin"], spec_example_dir, "three")  # another user's own budget


def test_a_solve_past_the_active_jobs_limit_answers_429(app, client, tokens, spec_example_dir):
    period_id = _import(client, tokens["planner"], spec_example_dir, "june")
    _queued_for(app, period_id, "pia planner", 2)

    answer = client.post(
        f"/api/v1/periods/{period_id}/jobs",
        headers=bearer(tokens["planner"]),
        json={"time_limit_seconds": 5},
    )

    _assert_429(answer, "per_user")
    assert 1 <= int(answer.headers["Retry-After"]) <= 90


def test_exports_past_a_users_rate_answer_429(client, tokens, monkeypatch):
    monkeypatch.setenv("SUNSHIFT_EXPORT_RATE", "1 per minute")
    first = client.get("/api/v1/rosters/999/hours.csv", headers=bearer(tokens["hr"]))
    assert first.status_code == 404  # counted all the same: the work was asked for

    answer = client.get("/api/v1/rosters/999/hours.csv", headers=bearer(tokens["hr"]))

    _assert_429(answer, "export")
    assert int(answer.headers["Retry-After"]) <= 60


def test_solves_past_a_users_rate_answer_429(client, tokens, monkeypatch):
    monkeypatch.setenv("SUNSHIFT_SOLVE_RATE", "1 per minute")

    def solve(token: str):
        return client.post(
            "/api/v1/periods/999/jobs", headers=bearer(token), json={"time_limit_seconds": 5}
        )

    assert solve(tokens["planner"]).status_code == 404  # counted: the work was asked for

    answer = solve(tokens["planner"])

    _assert_429(answer, "solve")
    assert answer.json["message"].startswith("too many solves: at most 1 per minute")
    assert int(answer.headers["Retry-After"]) <= 60
    assert solve(tokens["admin"]).status_code == 404  # another user's own budget


def test_the_api_shows_a_dead_workers_job_as_failed(app, client, tokens, spec_example_dir):
    period_id = _import(client, tokens["planner"], spec_example_dir, "june")
    (job_id,) = _queued_for(app, period_id, "pia planner", 1)
    silent = m.utc_now() - timedelta(minutes=2)
    with app.app_context(), session_factory().begin() as session:
        session.execute(
            update(m.SolveJob)
            .where(m.SolveJob.id == job_id)
            .values(state="running", worker_id="celery@gone:7", started_at=silent)
            .values(heartbeat_at=silent)
        )

    job = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(tokens["planner"])).json

    assert job["state"] == "failed"
    assert job["error"].startswith("worker lost: no heartbeat since")
    assert job["note"] is None


def test_a_queued_job_says_what_it_waits_for(app, client, tokens, spec_example_dir):
    period_id = _import(client, tokens["planner"], spec_example_dir, "june")
    (job_id,) = _queued_for(app, period_id, "pia planner", 1)

    job = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(tokens["planner"])).json

    assert job["state"] == "queued"
    assert job["note"].startswith("waiting for the job queue, which did not answer")
