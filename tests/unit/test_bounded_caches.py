"""Caches keyed by what uploads contain stay bounded: a stream of uploads with new
texts (instants, language codes, zones, countries) or new imports of periods cannot
grow the server's memory without end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from calendars import public_holidays, zones
from scheduler import gaps
from scheduler.imports import values
from web.api import queries
from web.ui import my_days

UPLOAD_KEYED = [
    values.text_instant_utc,
    values.is_language_code,
    values._language_hint,
    zones.is_known_zone,
    public_holidays.supported_subdivisions,
    public_holidays._library_holidays,
    my_days._clock_changes,
    gaps._outcome,  # reasons name sites
]


@pytest.mark.parametrize("cached", UPLOAD_KEYED, ids=lambda f: f.__name__)
def test_caches_of_uploaded_text_have_a_size_limit(cached):
    assert cached.cache_info().maxsize is not None


def test_a_flood_of_new_texts_does_not_grow_a_cache_past_its_limit():
    start = datetime(2027, 1, 1, tzinfo=UTC)
    for minute in range(20_000):
        values.text_instant_utc((start + timedelta(minutes=minute)).isoformat())
    info = values.text_instant_utc.cache_info()
    assert info.currsize <= info.maxsize
    for index in range(3_000):
        zones.is_known_zone(f"Mars/Crater{index}")
    assert zones.is_known_zone.cache_info().currsize <= zones.is_known_zone.cache_info().maxsize


def test_requirement_tables_are_kept_for_the_latest_imports_only(monkeypatch):
    monkeypatch.setattr(queries, "_requirements_cache", type(queries._requirements_cache)())
    monkeypatch.setattr(queries, "load_period_scenario", lambda _session, period_id: period_id)
    monkeypatch.setattr(queries, "compute_requirements", lambda scenario: f"table {scenario}")
    imported = datetime(2027, 1, 1, tzinfo=UTC)

    class Session:
        def get(self, _model, period_id):
            return SimpleNamespace(imported_at=imported)

    for period_id in range(queries.REQUIREMENTS_KEPT * 5):
        assert queries.period_requirements(Session(), period_id) == f"table {period_id}"

    assert len(queries._requirements_cache) == queries.REQUIREMENTS_KEPT
    latest = queries.REQUIREMENTS_KEPT * 5 - 1
    assert (latest, imported) in queries._requirements_cache
