"""The contract's example scenario imports cleanly into the objects the solver relies on."""

from datetime import UTC, date, datetime, time

from scheduler.domain import Rules, ShiftTemplate
from scheduler.imports import load_scenario, read_scenario


def test_spec_example_has_no_errors_and_no_warnings(spec_example_dir):
    result = read_scenario(spec_example_dir)
    assert result.errors == ()
    assert result.warnings == ()
    assert result.scenario is not None


def test_spec_example_settings(spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    assert scenario.name == "small follow-the-sun scenario (seed 99)"
    assert (scenario.horizon.start, scenario.horizon.days) == (date(2027, 6, 7), 7)
    assert scenario.horizon.interval_minutes == 60
    assert (scenario.phone.service_level, scenario.phone.answer_seconds) == (0.80, 20)
    assert scenario.phone.concurrency == 1
    assert scenario.chat.concurrency == 2
    assert scenario.chat.model == "erlang_c"
    assert scenario.email.response_hours == 24
    assert (scenario.staffing.shrinkage, scenario.staffing.max_occupancy) == (0.30, 0.85)
    assert scenario.coverage.always_on == ("en", "de", "fr", "ja")
    assert scenario.coverage.min_agents == 1
    assert scenario.rules == Rules(11, 6, 2, False)
    assert scenario.languages == ("de", "en", "fr", "ja")


def test_spec_example_sites_merge_rule_overrides_over_defaults(spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    assert [site.id for site in scenario.sites] == ["yyz", "dub", "ber", "mnl", "tyo"]
    berlin = scenario.site("ber")
    assert berlin.rules == Rules(
        min_rest_hours=11,
        max_consecutive_days=5,
        min_days_off_per_week=2,
        work_on_public_holidays=False,
    )
    assert scenario.site("dub").rules == scenario.rules
    assert (berlin.country, berlin.subdivision, berlin.timezone) == ("DE", "BE", "Europe/Berlin")
    assert berlin.shifts[0] == ShiftTemplate("s0", time(6, 0), 9)
    toronto = scenario.site("yyz")
    assert (toronto.region, toronto.subdivision) == ("NA", "ON")


def test_spec_example_dublin_has_its_company_holiday(spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    assert scenario.site("dub").extra_holidays == (date(2027, 6, 9),)
    assert scenario.site("ber").extra_holidays == ()


def test_spec_example_agents_resolve_shifts_and_languages(spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    assert len(scenario.agents) == 40
    berlin_agent = scenario.agent("A0001")
    assert berlin_agent.site_id == "ber"
    assert berlin_agent.languages == ("de", "en")
    assert berlin_agent.hours_per_week == 32
    # an empty shifts cell means every shift of the site, in the site's order
    assert berlin_agent.shift_ids == ("s0", "s1", "s2", "s3")
    assert scenario.agent("A0003").shift_ids == ("s0", "s1", "s2")


def test_spec_example_forecast_and_time_off(spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    assert scenario.required is None
    assert len(scenario.forecast) == 1755
    first = scenario.forecast[0]
    assert first.interval_start_utc == datetime(2027, 6, 7, tzinfo=UTC)
    assert first.interval_start_utc.tzinfo is UTC
    assert (first.language, first.channel, first.volume, first.aht_seconds) == (
        "en",
        "phone",
        2.02,
        360,
    )
    absence = scenario.time_off_of("A0006")[0]
    assert (absence.start_date, absence.end_date, absence.reason) == (
        date(2027, 6, 13),
        date(2027, 6, 16),
        "vacation",
    )
