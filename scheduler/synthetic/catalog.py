"""Real places and markets the generator draws from.

Sites are real contact-center cities with the IANA zone, country and
subdivision the holidays library knows, the shifts such a site typically runs
(local wall clock) and the languages it hires for, with relative weights.
Markets say where a language's customers live, so its daily peaks follow their
business hours. Region "NA" stands for the Americas: the scenario format knows
only NA, EU and APAC, so São Paulo and Mexico City are filed there.
"""

from __future__ import annotations

from dataclasses import dataclass

Shift = tuple[str, str, float]
"""(id, local start "HH:MM", hours)."""

DAY_SHIFTS: tuple[Shift, ...] = (
    ("early", "07:00", 8.5),
    ("day", "09:00", 8.5),
    ("late", "13:00", 8.5),
)
WITH_EVENING: tuple[Shift, ...] = (*DAY_SHIFTS, ("evening", "15:30", 8.5))
WITH_NIGHT: tuple[Shift, ...] = (*WITH_EVENING, ("night", "23:00", 8.0))


@dataclass(frozen=True)
class SiteProfile:
    id: str
    name: str
    region: str
    country: str
    subdivision: str
    timezone: str
    shifts: tuple[Shift, ...]
    hires: tuple[tuple[str, float], ...]
    """(language, weight): how strongly the site recruits speakers of it."""
    max_consecutive_days: int | None = None
    """A site-level labor rule override (None keeps the scenario default)."""


SITES: dict[str, SiteProfile] = {
    site.id: site
    for site in (
        SiteProfile(
            "yyz",
            "Toronto",
            "NA",
            "CA",
            "ON",
            "America/Toronto",
            WITH_NIGHT,
            (("en", 3), ("fr", 2.5), ("es", 0.4), ("de", 0.4), ("ja", 0.5), ("zh", 0.4)),
        ),
        SiteProfile(
            "aus",
            "Austin",
            "NA",
            "US",
            "TX",
            "America/Chicago",
            WITH_EVENING,
            (("en", 4), ("es", 2), ("pt", 0.3), ("de", 0.3), ("ko", 0.3)),
        ),
        SiteProfile(
            "mex",
            "Mexico City",
            "NA",
            "MX",
            "",
            "America/Mexico_City",
            WITH_NIGHT,
            (("es", 4), ("en", 1.5), ("pt", 0.5), ("fr", 0.4), ("de", 0.5)),
        ),
        SiteProfile(
            "sao",
            "São Paulo",
            "NA",
            "BR",
            "SP",
            "America/Sao_Paulo",
            WITH_EVENING,
            (("pt", 4), ("es", 1), ("en", 0.8), ("it", 0.4)),
        ),
        SiteProfile(
            "dub",
            "Dublin",
            "EU",
            "IE",
            "",
            "Europe/Dublin",
            WITH_NIGHT,
            (
                ("en", 3),
                ("de", 2),
                ("fr", 2),
                ("es", 1),
                ("it", 1.2),
                ("nl", 1.2),
                ("sv", 0.6),
                ("pt", 0.4),
                ("pl", 0.3),
            ),
        ),
        SiteProfile(
            "ber",
            "Berlin",
            "EU",
            "DE",
            "BE",
            "Europe/Berlin",
            WITH_EVENING,
            (("de", 4), ("en", 1), ("pl", 0.8), ("ru", 0.4), ("nl", 0.3)),
            max_consecutive_days=5,
        ),
        SiteProfile(
            "prg",
            "Prague",
            "EU",
            "CZ",
            "",
            "Europe/Prague",
            WITH_EVENING,
            (("cs", 3), ("de", 1), ("en", 1), ("pl", 0.6), ("ru", 0.3)),
        ),
        SiteProfile(
            "hel",
            "Helsinki",
            "EU",
            "FI",
            "",
            "Europe/Helsinki",
            DAY_SHIFTS,
            (("fi", 3), ("sv", 1), ("en", 0.8), ("ru", 0.4)),
        ),
        SiteProfile(
            "rix",
            "Riga",
            "EU",
            "LV",
            "",
            "Europe/Riga",
            DAY_SHIFTS,
            (("lv", 3), ("ru", 2), ("en", 0.8)),
        ),
        SiteProfile(
            "lis",
            "Lisbon",
            "EU",
            "PT",
            "",
            "Europe/Lisbon",
            WITH_EVENING,
            (("pt", 2), ("es", 1), ("fr", 1), ("en", 1), ("it", 0.6)),
        ),
        SiteProfile(
            "mad",
            "Madrid",
            "EU",
            "ES",
            "MD",
            "Europe/Madrid",
            WITH_EVENING,
            (("es", 3), ("en", 1), ("fr", 0.5), ("it", 0.4)),
        ),
        SiteProfile(
            "blr",
            "Bengaluru",
            "APAC",
            "IN",
            "KA",
            "Asia/Kolkata",
            WITH_NIGHT,
            (("en", 4), ("hi", 2), ("de", 0.6), ("fr", 0.5), ("es", 0.3), ("ja", 0.3)),
        ),
        SiteProfile(
            "tas",
            "Tashkent",
            "APAC",
            "UZ",
            "",
            "Asia/Tashkent",
            DAY_SHIFTS,
            (("uz", 3), ("ru", 2), ("en", 0.5)),
        ),
        SiteProfile(
            "tyo",
            "Tokyo",
            "APAC",
            "JP",
            "",
            "Asia/Tokyo",
            WITH_EVENING,
            (("ja", 4), ("en", 0.8), ("ko", 0.5), ("zh", 0.4)),
            max_consecutive_days=5,
        ),
        SiteProfile(
            "mnl",
            "Manila",
            "APAC",
            "PH",
            "",
            "Asia/Manila",
            WITH_NIGHT,
            (("en", 5), ("ja", 0.6), ("zh", 0.5), ("ko", 0.4), ("de", 0.3), ("es", 0.3)),
        ),
        SiteProfile(
            "syd",
            "Sydney",
            "APAC",
            "AU",
            "NSW",
            "Australia/Sydney",
            WITH_EVENING,
            (("en", 3), ("zh", 0.6), ("ja", 0.3), ("ko", 0.3), ("de", 0.2), ("fr", 0.2)),
        ),
        SiteProfile(
            "sin",
            "Singapore",
            "APAC",
            "SG",
            "",
            "Asia/Singapore",
            WITH_NIGHT,
            (("en", 2), ("zh", 2), ("ko", 0.8), ("ja", 0.8), ("hi", 0.4)),
        ),
    )
}


@dataclass(frozen=True)
class Market:
    """Where a language's customers are, how much they contact us and how.

    Small markets get fewer channels and shorter opening hours, as real support
    orgs run them: under the spec's staffing formula every open queued channel
    costs at least one agent per interval, so a tiny market open 24/7 on three
    channels would need more agents than its whole volume justifies.
    """

    zones: tuple[tuple[str, str, float], ...]
    """(IANA zone, holiday country, share)."""
    size: float
    """Relative contact volume of the language across the business."""

    @property
    def channels(self) -> tuple[str, ...]:
        if self.size >= 2:
            return ("phone", "chat", "email")
        if self.size >= 0.5:
            return ("phone",)
        return ("chat", "email")

    @property
    def open_hours(self) -> tuple[float, float]:
        """Local hours the phone and chat lines are open (always-on languages: 24/7)."""
        if self.size >= 2:
            return (8.0, 20.0)
        if self.size >= 0.5:
            return (8.0, 18.0)
        return (9.0, 17.0)

    @property
    def open_weekdays(self) -> int:
        """Lines are open Monday .. this many days (7: every day)."""
        return 6 if self.size >= 2 else 5


MARKETS: dict[str, Market] = {
    "en": Market(
        (
            ("America/New_York", "US", 0.35),
            ("America/Los_Angeles", "US", 0.15),
            ("Europe/London", "GB", 0.30),
            ("Australia/Sydney", "AU", 0.20),
        ),
        10,
    ),
    "de": Market((("Europe/Berlin", "DE", 1.0),), 3),
    "fr": Market((("Europe/Paris", "FR", 0.85), ("America/Toronto", "CA", 0.15)), 2.4),
    "es": Market((("Europe/Madrid", "ES", 0.4), ("America/Mexico_City", "MX", 0.6)), 2.8),
    "pt": Market((("America/Sao_Paulo", "BR", 0.7), ("Europe/Lisbon", "PT", 0.3)), 1.5),
    "it": Market((("Europe/Rome", "IT", 1.0),), 1.2),
    "nl": Market((("Europe/Amsterdam", "NL", 1.0),), 1.0),
    "sv": Market((("Europe/Stockholm", "SE", 1.0),), 0.6),
    "pl": Market((("Europe/Warsaw", "PL", 1.0),), 0.8),
    "cs": Market((("Europe/Prague", "CZ", 1.0),), 0.5),
    "fi": Market((("Europe/Helsinki", "FI", 1.0),), 0.4),
    "lv": Market((("Europe/Riga", "LV", 1.0),), 0.15),
    "ru": Market((("Europe/Moscow", "RU", 1.0),), 0.8),
    "uz": Market((("Asia/Tashkent", "UZ", 1.0),), 0.15),
    "ja": Market((("Asia/Tokyo", "JP", 1.0),), 2.0),
    "ko": Market((("Asia/Seoul", "KR", 1.0),), 0.8),
    "zh": Market((("Asia/Shanghai", "CN", 0.6), ("Asia/Taipei", "TW", 0.4)), 1.0),
    "hi": Market((("Asia/Kolkata", "IN", 1.0),), 0.6),
}
