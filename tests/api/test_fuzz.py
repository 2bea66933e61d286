"""Property-based fuzzing of every operation of the OpenAPI document, as a planner:
whatever schemathesis generates, the API never answers 5xx and every answer
conforms to the schema the document states for its status.

The operations must reach real data, not only 404s: one period of the spec
example imported and solved once (a 2-second solve: the session's ``solved_spec``)
is the seed database, and each operation is its own test on a fresh copy of it. Half the generated
cases get their path ids (and body agent ids) swapped for the seed's real ones.
Solves the fuzzer asks for stay queued: dispatching them is switched off, since
a generated time limit may be a day and the solver is not what is tested here.
For the same reason a ranking (``/candidates``) screens one candidate and confirms
with 1-second solves whatever the case asks: its answer has the same fields
(tests/api/test_api_candidates.py checks the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from tests.api.conftest import add_user, bearer
from tests.storage.fixtures import copy_sqlite
from web.api import SPEC_PATH
from web.app import create_service_app

MAX_EXAMPLES = 20


@dataclass(frozen=True)
class Seed:
    """The seed database file and the ids of its real rows."""

    path: Path
    ids: dict[str, int]
    """Path parameter name -> a real id (period_id, job_id, version_id, assignment_id)."""
    agent_code: str


def documented_operations() -> list[tuple[str, str]]:
    spec = create_service_app("sqlite://", testing=True).spec
    return [(method, path) for path, ops in spec["paths"].items() for method in ops]


OPERATIONS = documented_operations()


@pytest.fixture(scope="module")
def seed(solved_spec, tmp_path_factory: pytest.TempPathFactory) -> Seed:
    """One imported period with a solved draft roster, made once for every operation: a
    copy of the session's ``solved_spec`` (tests/api/conftest.py)."""
    path = tmp_path_factory.mktemp("fuzz-seed") / "seed.db"
    engine = make_engine(copy_sqlite(solved_spec.url, path))
    sessions = session_factory(engine)
    try:
        with unit_of_work(sessions) as session:
            job_id = session.scalar(
                select(m.SolveJob.id).filter_by(period_id=solved_spec.period_id)
            )
            assignment_id, agent_code = session.execute(
                select(m.Assignment.id, m.Agent.code)
                .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
                .where(m.Assignment.roster_version_id == solved_spec.version_id)
                .order_by(m.Assignment.id)
            ).first()
    finally:
        engine.dispose()
    ids = {
        "period_id": solved_spec.period_id,
        "job_id": job_id,
        "version_id": solved_spec.version_id,
        "assignment_id": assignment_id,
    }
    return Seed(path, ids, agent_code)


@pytest.fixture
def seeded_app(seed: Seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    copy = copy_sqlite(f"sqlite:///{seed.path}", tmp_path / "api.db")
    monkeypatch.setattr("scheduler.services.solving.dispatch_solve_job", _keep_queued)
    monkeypatch.setattr("scheduler.services.ranking.MAX_CONFIRM_SECONDS", 1.0)
    monkeypatch.setattr("scheduler.candidates.SCREEN_SECONDS", 0.0)  # the first screen runs
    app = create_service_app(copy, testing=True)
    yield app
    app.extensions["sunshift.engine"].dispose()


def _keep_queued(_sessions, _job_id: int) -> str:
    return "kept queued"


@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS]
)
def test_every_operation_answers_within_its_schema(seeded_app, seed, method, path):
    headers = bearer(add_user(seeded_app, "fuzz planner", "planner"))
    operation = schemathesis.openapi.from_wsgi(SPEC_PATH, seeded_app)[path][method.upper()]

    @hypothesis.given(case=operation.as_strategy(), real=st.booleans())
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def answers_within_schema(case, real):
        if real:
            _use_real_ids(case, seed)
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )

    answers_within_schema()


def _use_real_ids(case, seed: Seed) -> None:
    """Point the case at the seed's rows: real path ids, a real agent in the body."""
    for name in case.path_parameters or {}:
        if name in seed.ids:
            case.path_parameters[name] = seed.ids[name]
    if isinstance(case.body, dict) and "agent_id" in case.body:
        case.body["agent_id"] = seed.agent_code
