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


@pytest.fixture
def spec_history_dir(tmp_path) -> Path:
    """The contract's example scenario with its example history.csv copied in (v1.1)."""
    import shutil

    folder = tmp_path / "history_scenario"
    shutil.copytree(FIXTURES / "spec_example" / "scenario", folder)
    shutil.copy(FIXTURES / "spec_example" / "history" / "history.csv", folder / "history.csv")
    return folder


@pytest.fixture
def spec_history_roster_dir() -> Path:
    """The contract's valid roster for the example scenario with its history."""
    return FIXTURES / "spec_example" / "history" / "roster"
