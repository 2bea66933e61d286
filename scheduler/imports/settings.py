"""scenario.toml: horizon, service targets, staffing, coverage floor, rules and sites.

Optional tables fall back to the defaults the domain declares (no shrinkage,
occupancy up to 1, email answered within 24 hours, the spec's labor rules).
[horizon] and [[sites]] have no sensible default and are required.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from scheduler.domain import (
    INTERVAL_CHOICES,
    Coverage,
    EmailService,
    Horizon,
    Markets,
    QueueService,
    Rules,
    Site,
    Staffing,
)
from scheduler.imports.errors import Issues
from scheduler.imports.limits import (
    days_expected,
    depth_error,
    horizon_days,
    horizon_problem,
    too_deep,
)
from scheduler.imports.markets import read_markets
from scheduler.imports.sites import SiteDeclarations, read_rules, read_sites
from scheduler.imports.toml_lines import TomlLines
from scheduler.imports.toml_sections import FILE, REQUIRED, Section
from scheduler.imports.values import (
    BadValue,
    language_code,
    not_negative,
    positive,
    toml_date,
    toml_number,
    toml_text,
    toml_whole_number,
    within,
)

QUEUE_MODELS = ("erlang_c", "erlang_a")
PLACEHOLDER_TARGETS = {"phone": (0.80, 20.0), "chat": (0.80, 60.0)}
"""Used only when a channel has no [service.*] table and no forecast rows need one."""


@dataclass
class Settings:
    """Everything scenario.toml says; a None field means it was missing or wrong."""

    name: str | None = None
    horizon: Horizon | None = None
    phone: QueueService | None = None
    chat: QueueService | None = None
    email: EmailService | None = None
    messaging: EmailService | None = None
    markets: Markets | None = None
    services_given: set[str] = field(default_factory=set)
    staffing: Staffing | None = None
    coverage: Coverage | None = None
    always_on_lines: dict[str, int | None] = field(default_factory=dict)
    rules: Rules | None = None
    sites: list[Site] = field(default_factory=list)
    declared: SiteDeclarations | None = None
    lines: TomlLines | None = None


def read_settings(text: str, default_name: str, issues: Issues) -> Settings:
    """Parse and check scenario.toml; a syntax error stops here with its line."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as failure:
        _syntax_error(str(failure), issues)
        return Settings()
    except RecursionError:  # nested thousands deep
        document = None
    if document is None or too_deep(document):
        issues.error(FILE, None, "", None, *depth_error())
        return Settings()
    lines = TomlLines(text)
    top = Section(document, (), lines, issues)
    settings = Settings(lines=lines)
    settings.name = top.value("name", toml_text, "the scenario's name", default=default_name)
    settings.horizon = _read_horizon(top)
    _read_services(top, settings)
    services = {name: getattr(settings, name) for name in ("phone", "chat", "email", "messaging")}
    settings.markets = read_markets(top, services, _read_queue, _read_deferred)
    settings.staffing = _read_staffing(top)
    settings.coverage = _read_coverage(top, settings)
    rules_section = top.table("rules", "a [rules] table")
    settings.rules = read_rules(rules_section, Rules()) if rules_section else None
    settings.sites, settings.declared = read_sites(top, settings.rules or Rules())
    top.warn_unknown_keys()
    return settings


def _syntax_error(message: str, issues: Issues) -> None:
    where = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line = int(where[1]) if where else None
    reason = message[: where.start()].strip() if where else message
    column = f" at column {where[2]}" if where else ""
    issues.error(
        FILE,
        line,
        "",
        None,
        f"TOML syntax error: {reason}{column}",
        'valid TOML (text in "quotes", dates like 2027-03-08, arrays in [ ])',
    )


def _read_horizon(top: Section) -> Horizon | None:
    section = top.table("horizon", "a [horizon] table with start, days, interval_minutes", True)
    if section is None:
        return None
    start = section.value("start", toml_date, "the first date, such as 2027-03-08")
    days = section.value("days", horizon_days, days_expected())
    interval = section.value(
        "interval_minutes", _interval_minutes, "15, 30 or 60 (minutes per interval)"
    )
    if start is None or days is None or interval is None:
        return None
    horizon = Horizon(start=start, days=days, interval_minutes=interval)
    too_large = horizon_problem(horizon)
    if too_large:
        section.error(("days",), days, too_large, "fewer days or longer intervals")
        return None
    return horizon


def _interval_minutes(raw: object) -> int:
    minutes = toml_whole_number(raw)
    if minutes not in INTERVAL_CHOICES:
        raise BadValue("is not an interval length", "15, 30 or 60 (minutes per interval)")
    return minutes


def _read_services(top: Section, settings: Settings) -> None:
    service = top.table("service", "a [service] table with phone, chat and email tables")
    if service is None:
        return
    for channel in ("phone", "chat"):
        if service.has(channel):
            settings.services_given.add(channel)
        section = service.table(channel, f"a [service.{channel}] table")
        queue = _read_queue(section, channel) if section is not None else None
        setattr(settings, channel, queue)
    for channel in ("email", "messaging"):
        if service.has(channel):
            settings.services_given.add(channel)
        section = service.table(channel, f"a [service.{channel}] table")
        if section is not None:
            setattr(settings, channel, _read_deferred(section, EmailService()))


def _read_deferred(section: Section, base: EmailService) -> EmailService | None:
    """E-mail or messaging: a response window in hours (``base``'s when not given)."""
    hours = section.value(
        "response_hours",
        lambda raw: positive(toml_number(raw), "hours > 0"),
        "hours > 0",
        base.response_hours,
    )
    return EmailService(response_hours=hours) if hours is not None else None


def _read_queue(
    section: Section, channel: str, base: QueueService | None = None
) -> QueueService | None:
    """A phone or chat target; an absent table gives a placeholder (checked by the loader).

    With ``base`` (a market's own table) every key is optional and defaults to
    ``base``'s value.
    """
    if not section.data and base is None:
        level, seconds = PLACEHOLDER_TARGETS[channel]
        return QueueService(service_level=level, answer_seconds=seconds)
    given = base is not None

    def default(name: str, value: object) -> object:
        return getattr(base, name) if given else value

    level = section.value(
        "service_level",
        lambda raw: within(toml_number(raw), 0, 1, low_open=True, high_open=False),
        "a share in (0, 1], such as 0.80",
        default("service_level", REQUIRED),
    )
    seconds = section.value(
        "answer_seconds",
        lambda raw: positive(toml_number(raw), "seconds > 0"),
        "seconds > 0, such as 20",
        default("answer_seconds", REQUIRED),
    )
    concurrency: float | None = 1
    if channel == "chat":
        concurrency = section.value(
            "concurrency",
            lambda raw: positive(toml_number(raw), "chats per agent > 0"),
            "chats per agent > 0",
            default=default("concurrency", 1),
        )
    model = section.value(
        "model", _queue_model, " or ".join(QUEUE_MODELS), default("model", "erlang_c")
    )
    patience = section.value(
        "patience_seconds",
        lambda raw: positive(toml_number(raw), "seconds > 0"),
        "seconds > 0 (average time a customer waits before abandoning)",
        default=default("patience_seconds", None),
    )
    if model == "erlang_a" and patience is None and not section.has("patience_seconds"):
        section.error(
            ("patience_seconds",),
            None,
            "missing key",
            "seconds > 0: the erlang_a model needs the average patience of customers",
        )
        return None
    if None in (level, seconds, concurrency, model) or (
        section.has("patience_seconds") and patience is None
    ):
        return None
    return QueueService(
        service_level=level,
        answer_seconds=seconds,
        concurrency=concurrency,
        model=model,
        patience_seconds=patience,
    )


def _queue_model(raw: object) -> str:
    model = toml_text(raw).lower()
    if model not in QUEUE_MODELS:
        raise BadValue("is not a queueing model", " or ".join(QUEUE_MODELS))
    return model


def _read_staffing(top: Section) -> Staffing | None:
    section = top.table("staffing", "a [staffing] table")
    if section is None:
        return None
    defaults = Staffing()
    shrinkage = section.value(
        "shrinkage",
        lambda raw: within(toml_number(raw), 0, 1, low_open=False, high_open=True),
        "a share in [0, 1), such as 0.30",
        defaults.shrinkage,
    )
    occupancy = section.value(
        "max_occupancy",
        lambda raw: within(toml_number(raw), 0, 1, low_open=True, high_open=False),
        "a share in (0, 1], such as 0.85",
        defaults.max_occupancy,
    )
    if shrinkage is None or occupancy is None:
        return None
    return Staffing(shrinkage=shrinkage, max_occupancy=occupancy)


def _read_coverage(top: Section, settings: Settings) -> Coverage | None:
    section = top.table("coverage", "a [coverage] table")
    if section is None:
        return None
    languages: list[str] = []
    complete = True
    for index, raw in section.items("always_on", 'an array of language codes like ["en", "de"]'):
        code = section.check(raw, language_code, ("always_on", index))
        if code is None:
            complete = False
        elif code not in languages:
            languages.append(code)
            settings.always_on_lines[code] = section.line_of("always_on", index)
    if section.has("always_on") and not isinstance(section.data["always_on"], list):
        complete = False
    min_agents = section.value(
        "min_agents",
        lambda raw: not_negative(toml_whole_number(raw), "a whole number of agents >= 0"),
        "a whole number of agents >= 0",
        Coverage().min_agents,
    )
    if not complete or min_agents is None:
        return None
    return Coverage(always_on=tuple(languages), min_agents=min_agents)
