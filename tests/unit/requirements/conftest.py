"""Fixtures for requirement tests; builders live in requirement_scenarios.py."""

from pathlib import Path

import pytest
from requirement_scenarios import load_spec_example

from scheduler.domain import Scenario


@pytest.fixture
def spec_example(spec_example_dir: Path) -> Scenario:
    return load_spec_example(spec_example_dir)
