"""Holidays per country and subdivision, plus a site's extra days, by name."""

from datetime import date

from calendars.public_holidays import (
    EXTRA_HOLIDAY_NAME,
    is_known_country,
    is_known_subdivision,
    site_holidays,
)


def test_year_end_holidays_in_dublin():
    days = site_holidays("IE", "", [2027])
    assert days[date(2027, 12, 25)] == "Christmas Day"
    assert days[date(2027, 12, 26)] == "Saint Stephen's Day"
    assert date(2027, 12, 24) not in days


def test_subdivision_matters_bavaria_vs_berlin():
    epiphany = date(2027, 1, 6)
    assert epiphany in site_holidays("DE", "BY", [2027])
    assert epiphany not in site_holidays("DE", "BE", [2027])
    womens_day = date(2027, 3, 8)
    assert womens_day in site_holidays("DE", "BE", [2027])
    assert womens_day not in site_holidays("DE", "BY", [2027])


def test_observed_days_count_in_ontario():
    days = site_holidays("CA", "ON", [2027])
    assert "observed" in days[date(2027, 12, 27)]


def test_horizon_spanning_new_year_takes_both_years():
    days = site_holidays("JP", "", [2027, 2028])
    assert date(2028, 1, 1) in days


def test_extra_holidays_are_added_with_a_name():
    days = site_holidays("IE", "", [2027], extra=[date(2027, 3, 18), date(2027, 12, 25)])
    assert days[date(2027, 3, 18)] == EXTRA_HOLIDAY_NAME
    assert days[date(2027, 12, 25)].startswith("Christmas Day")


def test_unknown_country_and_subdivision_are_detected():
    assert is_known_country("DE")
    assert not is_known_country("XX")
    assert is_known_subdivision("DE", "BY")
    assert is_known_subdivision("DE", "")
    assert not is_known_subdivision("DE", "ZZ")
    assert not is_known_subdivision("XX", "")
