"""The pages answer limits with a 429 page and Retry-After (issue 13, finding 3), and
the job page shows a dead worker's job as failed (finding 5)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from tests.web.conftest import signed_in_client
from tests.web.page_tools import page, sign_in, submit
from web.api.errors import seconds_until_reset


def test_a_solve_past_the_limit_answers_a_429_page_with_retry_after(fresh_demo):
    sessions = fresh_demo.sessions()
    with unit_of_work(sessions) as session:
        planner = session.scalar(select(m.User).filter_by(name="planner"))
        period_id = session.scalar(select(m.PlanningPeriod.id))
        for _ in range(2):
            repository.enqueue_solve_job(session, period_id, {"time_limit_seconds": 120.0}, planner)
    client = signed_in_client(fresh_demo.app, "planner")
    period_page = f"/periods/{period_id}"

    answer = submit(
        client, period_page, f"{period_page}/solve", {"time_limit_seconds": "30", "seed": "0"}
    )

    assert answer.status_code == 429
    assert 1 <= int(answer.headers["Retry-After"]) <= 120
    text = page(answer).find(cls="error-page").text
    assert "You have 2 solves queued or running (at most 2 at once)" in text
    assert "Try again in" in text


def test_the_sign_in_limit_says_when_to_retry(fresh_demo):
    guesser = fresh_demo.app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.77"
    for attempt in range(10):
        sign_in(guesser, "hr", f"guess-{attempt}")

    answer = sign_in(guesser, "hr", "guess-10")

    assert answer.status_code == 429
    assert 1 <= int(answer.headers["Retry-After"]) <= 60


def test_the_sign_in_wait_is_rounded_up_and_never_longer_than_the_window():
    # the window started 0.3 s before the first failure was counted: 59.7 s are left,
    # which once read 61 (Flask-Limiter's reset_at adds a second before rounding)
    first_failure = 1_000_000.3
    reset_time = first_failure + 60

    assert seconds_until_reset(reset_time, 60, now=first_failure + 0.01) == 60
    assert seconds_until_reset(reset_time, 60, now=first_failure + 0.6) == 60
    assert seconds_until_reset(reset_time, 60, now=first_failure + 1.0) == 59
    assert seconds_until_reset(reset_time, 60, now=reset_time - 0.2) == 1
    assert seconds_until_reset(reset_time, 60, now=reset_time + 0.5) == 1
    assert seconds_until_reset(reset_time + 2, 60, now=first_failure) == 60  # storage's clock ahead


def test_the_job_page_shows_a_dead_workers_job_as_failed(fresh_demo):
    sessions = fresh_demo.sessions()
    silent = m.utc_now() - timedelta(minutes=5)
    with unit_of_work(sessions) as session:
        period_id = session.scalar(select(m.PlanningPeriod.id))
        job = repository.enqueue_solve_job(session, period_id, {"time_limit_seconds": 60.0})
        session.flush()
        job_id = job.id
        session.execute(
            update(m.SolveJob)
            .where(m.SolveJob.id == job_id)
            .values(state="running", worker_id="celery@gone:9")
            .values(started_at=silent, heartbeat_at=silent)
        )
    client = signed_in_client(fresh_demo.app, "planner")

    shown = page(client.get(f"/jobs/{job_id}"))
    polled = client.get(f"/jobs/{job_id}/progress").json

    assert shown.find(id="job-state").text == "failed"
    assert "worker lost: no heartbeat since" in shown.find(id="job-error").text
    assert polled["state"] == "failed" and polled["finished"] is True
