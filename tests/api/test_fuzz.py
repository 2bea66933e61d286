"""Property-based fuzzing of every operation of the OpenAPI document, as a planner:
whatever schemathesis generates, the API never answers 5xx and every answer
conforms to the schema the document states for its status.

Each operation is its own test on a fresh database (operations are listed from a
spec-only app at collection time; the document is then loaded from the test's app).
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import add_user, bearer
from web.api import SPEC_PATH
from web.app import create_service_app

MAX_EXAMPLES = 20


def documented_operations() -> list[tuple[str, str]]:
    spec = create_service_app("sqlite://", testing=True).spec
    return [(method, path) for path, ops in spec["paths"].items() for method in ops]


OPERATIONS = documented_operations()


@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS]
)
def test_every_operation_answers_within_its_schema(app, method, path):
    headers = bearer(add_user(app, "fuzz planner", "planner"))
    operation = schemathesis.openapi.from_wsgi(SPEC_PATH, app)[path][method.upper()]

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def answers_within_schema(case):
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )

    answers_within_schema()
