"""The read-only pages show a planner the scenario and its roster."""

from __future__ import annotations

import shutil


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def row_of(html: str, agent_id: str) -> str:
    start = html.index(f"<code>{agent_id}</code>")
    return html[start : html.index("</tr>", start)]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_overview_shows_sites_with_zones_offsets_and_places(client):
    html = page(client, "/")
    assert "small follow-the-sun scenario (seed 99)" in html
    for name in ("Toronto", "Dublin", "Berlin", "Manila", "Tokyo"):
        assert name in html
    assert "America/Toronto" in html and "CA-ON" in html and "DE-BE" in html
    assert "UTC+09:00" in html  # Tokyo
    assert "UTC-04:00" in html  # Toronto in June
    assert "07:00–16:00" in html  # a 9-hour Toronto shift in local time


def test_overview_names_public_holidays_in_the_horizon(client):
    html = page(client, "/")
    # 2027-06-07 .. 06-13: Irish June bank holiday, a Dublin company day, none in Berlin.
    assert "June Bank Holiday" in html
    assert "Company holiday" in html
    assert "Christmas" not in html


def test_overview_shows_languages_requirements_and_roster_figures(client):
    html = page(client, "/")
    for code in ("<code>en</code>", "<code>de</code>", "<code>fr</code>", "<code>ja</code>"):
        assert code in html
    assert "Peak agents" in html and "Required agent-h" in html
    assert "baseline" in html  # summary.json status
    assert "972" in html  # its shortfall
    assert "Coverage per language" in html


def test_overview_without_roster_says_so(scenario_only_client):
    html = page(scenario_only_client, "/")
    assert "No roster solved yet" in html
    assert "Coverage per language" not in html


def test_overview_reports_an_unreadable_roster(spec_example_dir, spec_example_roster_dir, tmp_path):
    from web import create_app

    broken = tmp_path / "roster"
    shutil.copytree(spec_example_roster_dir, broken)
    (broken / "coverage.csv").write_text("interval_start,language,required,staffed\nx,en,1,1\n")
    html = page(create_app(spec_example_dir, broken).test_client(), "/")
    assert "could not be read" in html and "coverage.csv" in html


def test_agents_page_lists_every_agent_with_languages_and_time_off(client):
    html = page(client, "/agents")
    assert html.count("<code>A00") == 40
    assert "A0006" in html and "de, en, fr" in html
    assert "Jun 13–Jun 16 (vacation)" in html
    assert "all" in row_of(html, "A0001")  # no shifts column: every Berlin shift
    assert "s0, s1, s2, s3, s4" in row_of(html, "A0000")  # Dublin, no night shift s5


def test_agents_page_filters_by_site_and_language(client):
    html = page(client, "/agents?site=tyo")
    assert "Tokyo" in html and "Manila</td>" not in html
    assert "A0004" in html and "A0013" in html
    html = page(client, "/agents?language=fr")
    assert "A0006" in html and "A0004" not in html
