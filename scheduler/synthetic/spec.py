"""What a synthetic scenario should look like, and the named size presets.

Start dates are chosen so presets cross the calendar events that break naive
schedulers: S, M and the demo cross the EU spring-forward (2027-03-28), Easter
and (M, demo) Sydney's fall-back on 2027-04-04; L crosses the EU (2027-10-31)
and US (2027-11-07) fall-backs; XL runs over Christmas and New Year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class SyntheticSpec:
    name: str
    start: date
    days: int
    interval_minutes: int
    agents: int
    sites: tuple[str, ...]
    """Site ids from ``catalog.SITES``."""
    languages: tuple[str, ...]
    """Languages with demand; each must be hired by at least one of ``sites``."""
    load: float = 0.85
    """Required agent-hours as a share of the agents' contract hours over the horizon."""
    always_on: tuple[str, ...] = ("en", "de", "ja")
    """Kept only for languages the scenario has."""
    time_off_share: float = 0.07
    """Share of agents with a vacation or training block in the horizon."""
    scarce: tuple[str, ...] = ()
    """Languages hired at one site only, with ``min_speakers`` first-language agents."""
    min_speakers: int = 3
    """Fewest agents with a language as their first one (scarce languages get exactly this)."""
    shift_hours: tuple[tuple[str, float], ...] = ()
    """(shift id, hours) overriding the catalog's lengths (8.5 h days, 8 h nights)."""


SIZES: dict[str, SyntheticSpec] = {
    "S": SyntheticSpec(
        name="Synthetic S: 6 sites, 40 agents, 7 days",
        start=date(2027, 3, 22),
        days=7,
        interval_minutes=60,
        agents=40,
        sites=("yyz", "dub", "ber", "rix", "mnl", "tyo"),
        languages=("en", "de", "fr", "ja", "lv"),
        always_on=("en",),
        scarce=("lv",),
    ),
    "M": SyntheticSpec(
        name="Synthetic M: 8 sites, 160 agents, 28 days",
        start=date(2027, 3, 22),
        days=28,
        interval_minutes=30,
        agents=160,
        sites=("yyz", "aus", "dub", "ber", "prg", "blr", "mnl", "syd"),
        languages=("en", "de", "fr", "es", "ja", "cs"),
        always_on=("en", "de", "ja"),
        scarce=("cs",),
    ),
    "L": SyntheticSpec(
        name="Synthetic L: 13 sites, 1000 agents, 28 days",
        start=date(2027, 10, 18),
        days=28,
        interval_minutes=30,
        agents=1000,
        sites=(
            "yyz",
            "aus",
            "mex",
            "sao",
            "dub",
            "ber",
            "prg",
            "hel",
            "rix",
            "blr",
            "tas",
            "tyo",
            "syd",
        ),  # fmt: skip
        languages=(
            "en",
            "de",
            "fr",
            "es",
            "pt",
            "it",
            "nl",
            "sv",
            "pl",
            "cs",
            "fi",
            "lv",
            "ru",
            "uz",
            "ja",
            "ko",
            "zh",
            "hi",
        ),  # fmt: skip
        always_on=("en", "de", "fr", "es", "ja"),
        scarce=("fi", "lv", "uz"),
        time_off_share=0.08,
    ),
    "XL": SyntheticSpec(
        name="Synthetic XL: 17 sites, 2500 agents, 28 days at 15 minutes",
        start=date(2027, 12, 6),
        days=28,
        interval_minutes=15,
        agents=2500,
        sites=(
            "yyz",
            "aus",
            "mex",
            "sao",
            "dub",
            "ber",
            "prg",
            "hel",
            "rix",
            "lis",
            "mad",
            "blr",
            "tas",
            "tyo",
            "mnl",
            "syd",
            "sin",
        ),  # fmt: skip
        languages=(
            "en",
            "de",
            "fr",
            "es",
            "pt",
            "it",
            "nl",
            "sv",
            "pl",
            "cs",
            "fi",
            "lv",
            "ru",
            "uz",
            "ja",
            "ko",
            "zh",
            "hi",
        ),  # fmt: skip
        always_on=("en", "de", "fr", "es", "ja", "zh"),
        scarce=("lv", "uz"),
        time_off_share=0.10,
    ),
}

THIRTEEN_SITES = (
    "yyz",
    "aus",
    "mex",
    "sao",
    "dub",
    "ber",
    "prg",
    "hel",
    "rix",
    "blr",
    "tyo",
    "mnl",
    "syd",
)

_BENCH_DST = SyntheticSpec(
    name="Bench DST: 13 sites, 160 agents, 28 days across the US and EU spring-forwards",
    start=date(2027, 3, 8),
    days=28,
    interval_minutes=30,
    agents=160,
    sites=THIRTEEN_SITES,
    languages=("en", "de", "fr", "es", "pt", "ja", "cs", "fi"),
    always_on=("en", "de", "ja"),
    scarce=("cs", "fi"),
)
BENCH_CASES: dict[str, SyntheticSpec] = {
    "DST": _BENCH_DST,
    "YE": replace(
        _BENCH_DST,
        name="Bench year-end: 13 sites, 160 agents, 28 days over Christmas and New Year",
        start=date(2027, 12, 13),
    ),
    "SCARCE": replace(
        _BENCH_DST,
        name="Bench scarce: 13 sites, 160 agents, 28 days, five scarce languages",
        start=date(2027, 5, 3),
        sites=tuple("tas" if site == "mex" else site for site in THIRTEEN_SITES),
        languages=("en", "de", "fr", "es", "ja", "cs", "fi", "lv", "uz", "ru"),
        scarce=("cs", "fi", "lv", "uz", "ru"),
    ),
    "DST89": replace(
        _BENCH_DST,
        name="Bench DST, 8 and 9 h shifts: the DST case with the contract example's lengths",
        shift_hours=(("early", 9.0), ("day", 8.0), ("late", 8.0), ("evening", 9.0)),
    ),
}
"""The follow-the-sun cases of ``bench/run.py`` beside the sizes (M-sized). DST89 has
the shift lengths of the scenario format's example (9 h early and evening shifts, 8 h
day, late and night shifts), which add up to the contracts' hours where the catalog's
8.5 h days do not."""

DEMO_SEED = 2027
DEMO_SPEC = SyntheticSpec(
    name="Sunshift demo: 10 sites, 100 agents, spring 2027",
    start=date(2027, 3, 22),
    days=14,
    interval_minutes=30,
    agents=100,
    sites=("yyz", "mex", "dub", "prg", "hel", "rix", "blr", "tas", "tyo", "syd"),
    languages=("en", "de", "fr", "es", "ja", "cs", "fi", "lv", "uz", "ru"),
    load=0.85,
    always_on=("en",),
    scarce=("cs", "fi", "lv", "uz"),
    time_off_share=0.08,
    min_speakers=3,
)
