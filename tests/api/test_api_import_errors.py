"""A bad upload lists every error with file, line and field, and stores nothing."""

from __future__ import annotations

from tests.api.conftest import bearer, scenario_upload


def test_bad_row_is_422_with_every_error_and_nothing_stored(client, tokens, spec_example_dir):
    lines = (spec_example_dir / "agents.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[2], cells[4] = "atlantis", "forty"  # unknown site, hours not a number
    lines[3] = ",".join(cells)
    upload = scenario_upload(spec_example_dir, agents_csv="\n".join(lines).encode() + b"\n")
    planner = bearer(tokens["planner"])

    response = client.post(
        "/api/v1/periods", data=upload, headers=planner, content_type="multipart/form-data"
    )

    assert response.status_code == 422
    body = response.json
    assert body["error"] == "validation_error"
    found = {(e["file"], e.get("line"), e["field"]) for e in body["errors"]}
    assert ("agents.csv", 4, "site") in found
    assert ("agents.csv", 4, "hours_per_week") in found
    assert body["field"]
    assert client.get("/api/v1/periods", headers=planner).json == {"periods": []}


def test_missing_required_file_is_422_naming_the_field(client, tokens, spec_example_dir):
    upload = scenario_upload(spec_example_dir)
    del upload["agents.csv"]
    response = client.post(
        "/api/v1/periods",
        data=upload,
        headers=bearer(tokens["planner"]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert response.json["field"] == "agents.csv"
    assert response.json["errors"][0]["location"] == "form"


def test_bad_json_fields_are_listed_together(client, tokens):
    response = client.post(
        "/api/v1/periods/1/jobs",
        json={"time_limit_seconds": -5, "seed": "x", "workers": 9999},
        headers=bearer(tokens["planner"]),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert fields == {"time_limit_seconds", "seed", "workers"}


def test_unknown_ids_are_json_404(client, tokens):
    planner = bearer(tokens["planner"])
    for path in ("/api/v1/periods/999", "/api/v1/jobs/999", "/api/v1/rosters/999/gaps"):
        response = client.get(path, headers=planner)
        assert response.status_code == 404, path
        assert response.json["error"] == "not_found"
    huge = client.get(f"/api/v1/periods/{2**70}", headers=planner)
    assert huge.status_code == 404


def _post(client, tokens, upload):
    return client.post(
        "/api/v1/periods",
        data=upload,
        headers=bearer(tokens["planner"]),
        content_type="multipart/form-data",
    )


def test_a_horizon_of_millions_of_days_is_422_not_500(client, tokens, spec_example_dir):
    toml = (spec_example_dir / "scenario.toml").read_text(encoding="utf-8")
    huge = toml.replace("days = 7", "days = 3000000").encode()

    response = _post(client, tokens, scenario_upload(spec_example_dir, scenario_toml=huge))

    assert response.status_code == 422
    found = {(e["file"], e.get("line"), e["field"]) for e in response.json["errors"]}
    assert ("scenario.toml", 5, "horizon.days") in found


def test_an_agent_id_longer_than_its_column_is_422_with_its_line(client, tokens, spec_example_dir):
    agents = (spec_example_dir / "agents.csv").read_text(encoding="utf-8")
    agents = agents.replace("A0001,", f"{'A' * 300},", 1).encode()

    response = _post(client, tokens, scenario_upload(spec_example_dir, agents_csv=agents))

    assert response.status_code == 422
    found = {(e["file"], e.get("line"), e["field"]) for e in response.json["errors"]}
    assert ("agents.csv", 3, "id") in found


def test_a_file_over_the_upload_limit_is_422_naming_file_and_limit(
    client, tokens, spec_example_dir, monkeypatch
):
    from config import settings

    monkeypatch.setattr(settings, "MAX_UPLOAD_BYTES", 1024)
    big = (spec_example_dir / "forecast.csv").read_bytes()
    assert len(big) > 1024

    response = _post(client, tokens, scenario_upload(spec_example_dir))

    assert response.status_code == 422
    errors = {e["file"]: e["message"] for e in response.json["errors"]}
    assert "forecast.csv" in errors
    assert "1.0 KiB" in errors["forecast.csv"]
