"""Scenario folders for import tests: clean copies that a test may then break."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).parents[2] / "scenarios"


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS


@pytest.fixture
def clean_copy(tmp_path: Path) -> Path:
    """A writable copy of tests/scenarios/excel_clean (2 sites, 6 agents, 2 days)."""
    folder = tmp_path / "scenario"
    shutil.copytree(SCENARIOS / "excel_clean", folder)
    return folder


@pytest.fixture
def edit(clean_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace text that occurs exactly once in one file of the clean copy."""

    def replace(file: str, old: str, new: str) -> Path:
        path = clean_copy / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return clean_copy

    return replace
