"""Property-based fuzzing of every operation of the OpenAPI document, as a planner:
whatever schemathesis generates, the API never answers 5xx and every answer
conforms to the schema the document states for its status.

The operations must reach real data, not only 404s: one period of the spec
example is imported and solved once (a 2-second solve) into a seed database,
and each operation is its own test on a fresh copy of it. Half the generated
cases get their path ids (and body agent ids) swapped for the seed's real ones.
Solves the fuzzer asks for stay queued: dispatching them is switched off, since
a generated time limit may be a day and the solver is not what is tested here.
For the same reason a ranking (``/candidates``) screens one candidate and confirms
with 1-second solves whatever the case asks: its answer has the same fields
(tests/api/test_api_candidates.py checks the figures).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from scheduler.jobs.local import wait_local
from scheduler.services import get_job, import_folder, start_solve
from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.migrate import upgrade_database
from tests.api.conftest import add_user, bearer
from web.api import SPEC_PATH
from web.app import create_service_app

MAX_EXAMPLES = 20
SPEC_EXAMPLE = Path(__file__).parents[1] / "fixtures" / "spec_example" / "scenario"


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
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    """One imported period with a solved draft roster, made once for every operation."""
    path = tmp_path_factory.mktemp("fuzz-seed") / "seed.db"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    try:
        period_id = import_folder(sessions, SPEC_EXAMPLE, None, period_name="fuzz week")
        job_id = start_solve(sessions, period_id, None, time_limit_seconds=2, workers=1)
        wait_local(job_id)
        job = get_job(sessions, job_id)
        assert job["state"] == "succeeded", job
        version_id = job["roster_version_id"]
        with unit_of_work(sessions) as session:
            assignment_id, agent_code = session.execute(
                select(m.Assignment.id, m.Agent.code)
                .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
                .where(m.Assignment.roster_version_id == version_id)
                .order_by(m.Assignment.id)
            ).first()
    finally:
        engine.dispose()
    ids = {
        "period_id": period_id,
        "job_id": job_id,
        "version_id": version_id,
        "assignment_id": assignment_id,
    }
    return Seed(path, ids, agent_code)


@pytest.fixture
def seeded_app(seed: Seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    copy = tmp_path / "api.db"
    shutil.copyfile(seed.path, copy)
    monkeypatch.setattr("scheduler.services.solving.dispatch_solve_job", _keep_queued)
    monkeypatch.setattr("scheduler.services.ranking.MAX_CONFIRM_SECONDS", 1.0)
    monkeypatch.setattr("scheduler.candidates.SCREEN_SECONDS", 0.0)  # the first screen runs
    app = create_service_app(f"sqlite:///{copy}", testing=True)
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
