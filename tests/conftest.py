"""Shared fixtures: paths to bundled scenario folders used across test areas."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def spec_example_dir() -> Path:
    """The contract's own small scenario (5 sites, 40 agents, 7 days, 60-min)."""
    return FIXTURES / "spec_example" / "scenario"


@pytest.fixture
def spec_example_roster_dir() -> Path:
    """The contract's baseline roster for it: valid, shortfall 972, 156 floor gaps."""
    return FIXTURES / "spec_example" / "roster"
