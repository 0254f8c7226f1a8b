"""The shipped crisis-line directory: loaded and validated at start, served without the database.

Pure: no discord.py, no database. It holds the data (countries, emergency numbers, lines,
international directories), the choice of country for /crisis (option > lab > locale hint),
the order of the country switch menu, and the rendering of the reply within Discord's limits.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.validation import SLUG_RE, is_http_url
from bot.yamlfile import Key, Located, Problem, YamlError, load_located

_VERIFIED_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
_NUMBER_RE = re.compile(r"^[+*#]?[0-9][0-9 ()\-]{1,24}$")

COSTS = ("free", "normal", "paid", "unknown")  # free / normal call rate / paid (premium) / not confirmed
HOURS_ALWAYS = "24/7"
HOURS_UNKNOWN = "unknown"
SERVICES = ("all", "ambulance", "police", "ambulance_fire")
CONTENT_SOURCE = "CONTENT.md"  # shared/CONTENT.md, the project's checked facts, for emergency numbers

CONTENT_LIMIT = 2000  # Discord message content
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_TOTAL_LIMIT = 6000
MENU_COUNTRIES = 24  # a select holds at most 25 options; the 25th is "somewhere else"
MAX_LAB_HELPLINES = 3
ELSEWHERE = "elsewhere"  # the switch menu's value for "a country not listed"


@dataclass(frozen=True)
class Localised:
    """A short text in English with optional translations."""

    texts: Mapping[str, str] = field(default_factory=dict)

    def get(self, locale: str) -> str:
        """Return the text for `locale` ("en", "zh", "zh-TW"), else its language's, else English."""
        return self.texts.get(locale) or self.texts.get(locale[:2]) or self.texts.get("en", "")

    def with_text(self, locale: str, convert: Callable[[str], str], source: str) -> Localised:
        """A copy that also has `locale`, converted from the `source` text where there is one."""
        if source not in self.texts or locale in self.texts:
            return self
        return Localised({**self.texts, locale: convert(self.texts[source])})


@dataclass(frozen=True)
class EmergencyNumber:
    """One number to call in immediate danger, and which service answers it."""

    number: str
    service: str = "all"


@dataclass(frozen=True)
class Country:
    """A country or territory: its names, its emergency numbers and where they were checked."""

    code: str
    names: Localised
    emergency: tuple[EmergencyNumber, ...]
    emergency_source: str
    emergency_verified: str


@dataclass(frozen=True)
class CrisisLine:
    """One service people can call, text or chat with, with its honest hours and cost."""

    id: str
    country: str
    name: str
    phones: tuple[str, ...]
    text: str | None
    chat: str | None
    url: str | None
    hours: Localised
    cost: str
    languages: tuple[str, ...]
    dialling: Localised
    notes: Localised
    source: str
    verified: str
    unconfirmed: bool

    @property
    def phone(self) -> str | None:
        """The first phone number, if any."""
        return self.phones[0] if self.phones else None

    @property
    def always_open(self) -> bool:
        """True when the line answers around the clock."""
        return self.hours.texts.get("en") == HOURS_ALWAYS


@dataclass(frozen=True)
class Directory:
    """A worldwide service that finds a line in any country."""

    id: str
    name: str
    url: str
    description: Localised


@dataclass(frozen=True)
class CrisisDirectory:
    """Every country and line we ship, plus the international directories."""

    lines: tuple[CrisisLine, ...]
    international: tuple[Directory, ...]
    country_info: Mapping[str, Country]
    locale_hints: Mapping[str, tuple[str, ...]]
    menu_order: tuple[str, ...] = ()
    language_names: Mapping[str, Localised] = field(default_factory=dict)

    @property
    def country_names(self) -> Mapping[str, Localised]:
        """Display names by country code."""
        return {code: country.names for code, country in self.country_info.items()}

    def lines_for(self, country: str) -> tuple[CrisisLine, ...]:
        """Lines members may see for a country code (never an unconfirmed one)."""
        code = country.upper()
        return tuple(line for line in self.lines if line.country == code and not line.unconfirmed)

    def all_lines_for(self, country: str) -> tuple[CrisisLine, ...]:
        """Every line of a country, unconfirmed ones included (for moderators and checks)."""
        code = country.upper()
        return tuple(line for line in self.lines if line.country == code)

    def unconfirmed(self) -> tuple[CrisisLine, ...]:
        """Lines kept for moderators to check; members never see them."""
        return tuple(line for line in self.lines if line.unconfirmed)

    def shown_lines(self) -> tuple[CrisisLine, ...]:
        """Every line members can see."""
        return tuple(line for line in self.lines if not line.unconfirmed)

    def country(self, code: str | None) -> Country | None:
        """The country for a code, or None."""
        return self.country_info.get(code.upper()) if code else None

    def country_name(self, code: str, locale: str) -> str:
        """Display name of a country in `locale`, or the code itself."""
        country = self.country(code)
        return country.names.get(locale) if country else code.upper()

    def hints(self, discord_locale: str | None) -> tuple[str, ...]:
        """Countries a Discord locale suggests, most likely first (a locale is never a location)."""
        if not discord_locale:
            return ()
        return self.locale_hints.get(discord_locale) or self.locale_hints.get(
            discord_locale.split("-")[0], ()
        )

    def default_country(self, discord_locale: str | None) -> str | None:
        """The country to show first for a Discord locale such as en-GB or zh-CN."""
        hints = self.hints(discord_locale)
        return hints[0] if hints else None

    def countries(self) -> list[str]:
        """Every country code we know, in a stable order."""
        return sorted(self.country_info)

    def summary(self) -> str:
        """A one-line count for `python -m bot check` and /admin status."""
        with_lines = {line.country for line in self.shown_lines()}
        return (
            f"{len(self.country_info)} countries and territories ({len(with_lines)} with lines), "
            f"{len(self.shown_lines())} crisis lines shown, {len(self.unconfirmed())} unconfirmed"
        )

    def match_countries(self, query: str, locale: str, limit: int = 25) -> list[tuple[str, str]]:
        """Countries whose code or name (any language) matches `query`, best first."""
        needle = query.strip().casefold()
        scored: list[tuple[int, str, str]] = []
        for code in self.countries():
            names = [code, *self.country_info[code].names.texts.values()]
            label = f"{self.country_name(code, locale)} ({code})"
            folded = [n.casefold() for n in names]
            if not needle:
                scored.append((1, label, code))
            elif needle in folded:
                scored.append((0, label, code))
            elif any(n.startswith(needle) for n in folded):
                scored.append((1, label, code))
            elif any(needle in n for n in folded):
                scored.append((2, label, code))
        scored.sort()
        return [(code, label) for _, label, code in scored[:limit]]

    def resolve_country(self, query: str) -> str | None:
        """Turn what a person typed (code or name in any language) into a code we have."""
        needle = query.strip().casefold()
        if not needle:
            return None
        for code in self.countries():
            names = [code, *self.country_info[code].names.texts.values()]
            if needle in {n.casefold() for n in names}:
                return code
        matches = self.match_countries(query, "en", limit=2)
        return matches[0][0] if len(matches) == 1 else None


# ---------------------------------------------------------------- which country to show


@dataclass(frozen=True)
class Resolution:
    """The country /crisis shows and why; `unknown` is what a member typed that we could not place."""

    country: str | None
    reason: Literal["option", "lab", "locale", "none"]
    unknown: str | None = None


def resolve(
    directory: CrisisDirectory, option: str | None, lab_country: str | None, discord_locale: str | None
) -> Resolution:
    """Choose the country: the member's `country` option, else the lab's country, else the locale hint."""
    if option is not None and option.strip():
        code = directory.resolve_country(option)
        if code is not None:
            return Resolution(code, "option")
        return Resolution(None, "none", unknown=option.strip()[:50])
    if lab_country and directory.country(lab_country):
        return Resolution(lab_country.upper(), "lab")
    hinted = directory.default_country(discord_locale)
    if hinted and directory.country(hinted):
        return Resolution(hinted, "locale")
    return Resolution(None, "none")


def switch_menu(
    directory: CrisisDirectory,
    shown: str | None,
    lab_country: str | None,
    discord_locale: str | None,
    limit: int = MENU_COUNTRIES,
) -> list[str]:
    """Countries for the switch menu, most likely first: the lab's, the locale's, the shown one, the rest."""
    wanted: list[str] = []
    for group in (
        (lab_country,),
        directory.hints(discord_locale),
        (shown,),
        directory.menu_order,
        directory.countries(),
    ):
        for code in group:
            if code and directory.country(code) and code.upper() not in wanted:
                wanted.append(code.upper())
    return wanted[:limit]


# ---------------------------------------------------------------- the reply


@dataclass(frozen=True)
class LabHelpline:
    """One of the lab's own support items (already escaped for Markdown by the caller)."""

    title: str
    url: str
    description: str
    topic: str


@dataclass(frozen=True)
class CrisisReply:
    """The /crisis reply: lifelines in the content, the lab's own lines (if any) in an embed."""

    content: str
    lab_title: str | None = None
    lab_body: str | None = None

    def within_discord_limits(self) -> bool:
        """True when the content and the embed fit Discord's limits."""
        embed = len(self.lab_title or "") + len(self.lab_body or "")
        return (
            len(self.content) <= CONTENT_LIMIT
            and len(self.lab_title or "") <= EMBED_TITLE_LIMIT
            and len(self.lab_body or "") <= EMBED_DESCRIPTION_LIMIT
            and embed <= EMBED_TOTAL_LIMIT
        )


Translate = Callable[..., str]  # t(key, **values) for the member's locale


def emergency_text(t: Translate, country: Country) -> str:
    """'999 or 112' / '119 (ambulance, fire) or 110 (police)' in the member's language."""
    parts = []
    for entry in country.emergency:
        number = f"**{entry.number}**"
        parts.append(
            number
            if entry.service == "all"
            else t("crisis.emergency_service", number=number, service=t(f"crisis.service.{entry.service}"))
        )
    if len(parts) == 1:
        return parts[0]
    return t("crisis.or", first=t("crisis.list_sep").join(parts[:-1]), last=parts[-1])


def _line_block(t: Translate, directory: CrisisDirectory, line: CrisisLine, lang: str, detail: int) -> str:
    """One line as two short rows; `detail` 2 = everything, 1 = no notes, 0 = also no languages."""
    ways = [f"📞 {' · '.join(line.phones)}"] if line.phones else []
    if line.text:
        ways.append(f"💬 {line.text}")
    head = f"**{line.name}**" + (f" — {' · '.join(ways)}" if ways else "")
    facts: list[str] = []
    hours = line.hours.texts.get("en")
    if hours == HOURS_ALWAYS:
        facts.append(t("crisis.open_always"))
    elif hours == HOURS_UNKNOWN:
        facts.append(t("crisis.hours_unknown"))
    else:
        facts.append(t("crisis.hours", hours=line.hours.get(lang)))
    facts.append(t(f"crisis.cost.{line.cost}"))
    if line.languages and detail >= 1:
        names = [
            directory.language_names.get(code, Localised({"en": code})).get(lang) for code in line.languages
        ]
        facts.append(t("crisis.languages", languages=t("crisis.list_sep").join(names)))
    links = [f"<{u}>" for u in dict.fromkeys(x for x in (line.chat, line.url) if x)]
    rows = [head, " · ".join(facts + links)]
    dialling = line.dialling.get(lang)
    if dialling:
        rows.append(f"⚠️ {dialling}")
    note = line.notes.get(lang)
    if note and detail >= 2:
        rows.append(note)
    return "\n".join(rows)


def _lab_embed(t: Translate, helplines: Sequence[LabHelpline]) -> tuple[str | None, str | None]:
    if not helplines:
        return None, None
    shown = helplines[:MAX_LAB_HELPLINES]
    rows = [
        f"**{h.title[:100]}** <{h.url[:500]}>" + (f" — {h.description[:200]}" if h.description else "")
        for h in shown
    ]
    rest = len(helplines) - len(shown)
    if rest:
        rows.append(t("crisis.lab_more", count=rest, topic=helplines[MAX_LAB_HELPLINES].topic[:60]))
    return t("crisis.lab_title"), "\n\n".join(rows)[:EMBED_DESCRIPTION_LIMIT]


def render(
    directory: CrisisDirectory,
    t: Translate,
    lang: str,
    resolution: Resolution,
    lab_helplines: Sequence[LabHelpline] = (),
    *,
    menu: bool = True,
) -> CrisisReply:
    """The whole reply. The emergency number, the country's lines and both directories are never cut.

    `menu` says whether the country switch sits under the reply (else the text points to /crisis).
    """
    how = "" if menu else "_command"
    country = directory.country(resolution.country)
    lines = directory.lines_for(country.code) if country else ()
    lab_title, lab_body = _lab_embed(t, lab_helplines)
    for detail in (2, 1, 0):
        blocks: list[str] = []
        if country:
            name = country.names.get(lang)
            blocks.append(f"## {t('crisis.title', country=name)}")
            blocks.append(f"### 🚨 {t('crisis.danger_number', numbers=emergency_text(t, country))}")
        else:
            blocks.append(f"## {t('crisis.title_nowhere')}")
            blocks.append(f"### 🚨 {t('crisis.danger')}")
        if resolution.unknown is not None:
            blocks.append(t(f"crisis.unknown_country{how}", query=resolution.unknown))
        if country and lines:
            blocks.append(t("crisis.intro_lines"))
            blocks.extend(_line_block(t, directory, line, lang, detail) for line in lines)
        elif country:
            blocks.append(t("crisis.none_for_country", country=country.names.get(lang)))
        elif resolution.unknown is None:
            blocks.append(t(f"crisis.pick_country{how}"))
        intl = [t("crisis.international")]
        intl += [f"**{d.name}** <{d.url}> — {d.description.get(lang)}" for d in directory.international]
        blocks.append("\n".join(intl))
        checked = max((line.verified for line in lines), default="") or (
            country.emergency_verified if country else ""
        )
        footer = [t(f"crisis.switch_hint{how}")]
        if checked:
            footer.append(t("crisis.verified", date=checked))
        footer.append(t("crisis.not_a_service"))
        blocks.append("-# " + " ".join(footer))
        content = "\n\n".join(blocks)
        if len(content) <= CONTENT_LIMIT:
            break
    return CrisisReply(content, lab_title, lab_body)


def menu_label(directory: CrisisDirectory, code: str, lang: str) -> str:
    """An option label: the country's name and code (at most 100 characters)."""
    return f"{directory.country_name(code, lang)} ({code})"[:100]


def menu_description(t: Translate, directory: CrisisDirectory, code: str) -> str:
    """An option description: what to call in immediate danger there (at most 100 characters)."""
    country = directory.country(code)
    if country is None:
        return ""
    return t("crisis.menu_emergency", numbers=emergency_text(t, country).replace("**", ""))[:100]


# ---------------------------------------------------------------- loading and validation


def _localised(doc: Located, key: Key, raw: object, out: list[Problem]) -> Localised:
    if raw is None:
        return Localised()
    if isinstance(raw, (str, int)):
        return Localised({"en": str(raw)})
    if isinstance(raw, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        if "en" not in raw:
            out.append(doc.problem(key, "a translated text needs an `en` entry"))
        return Localised(dict(raw))
    out.append(doc.problem(key, "expected text or a mapping of language to text"))
    return Localised()


def _opt_str(doc: Located, key: Key, raw: object, out: list[Problem]) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, (str, int)) and str(raw).strip():
        return str(raw)
    out.append(doc.problem(key, "expected non-empty text"))
    return None


def _opt_url(doc: Located, key: Key, raw: object, out: list[Problem]) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str) and is_http_url(raw):
        return raw
    out.append(doc.problem(key, f"expected an http(s) URL, not {raw!r}"))
    return None


def _verified(doc: Located, key: Key, raw: object, what: str, out: list[Problem]) -> str:
    if isinstance(raw, str) and _VERIFIED_RE.match(raw):
        return raw
    out.append(doc.problem(key, f"{what} needs `verified:` as YYYY-MM or YYYY-MM-DD"))
    return ""


def digits(number: str) -> str:
    """The dialled digits of a number, for spotting duplicates ('116 123' == '116123')."""
    return re.sub(r"[^0-9*#+]", "", number)


def _phones(doc: Located, key: Key, raw: object, out: list[Problem]) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    phones: list[str] = []
    for n, item in enumerate(items):
        text = str(item).strip() if isinstance(item, (str, int)) else ""
        if not _NUMBER_RE.match(text):
            out.append(
                doc.problem(
                    (*key, n) if isinstance(raw, list) else key,
                    f"{item!r} is not a phone number (digits, spaces, dashes, +, *)",
                )
            )
            continue
        phones.append(text)
    return tuple(phones)


def _hours(doc: Located, key: Key, raw: object, out: list[Problem]) -> Localised:
    if raw is None:
        out.append(
            doc.problem(key, f"every line needs `hours:` ({HOURS_ALWAYS!r}, {HOURS_UNKNOWN!r} or a text)")
        )
        return Localised({"en": HOURS_UNKNOWN})
    return _localised(doc, key, raw, out)


def _parse_line(
    doc: Located,
    key: Key,
    raw: dict[str, object],
    countries: Mapping[str, Country],
    languages: Mapping[str, Localised],
    seen: set[str],
    out: list[Problem],
) -> CrisisLine | None:
    line_id = raw.get("id")
    if not isinstance(line_id, str) or not SLUG_RE.match(line_id):
        out.append(doc.problem((*key, "id"), "line id must be lowercase-kebab-case"))
        return None
    if line_id in seen:
        out.append(doc.problem((*key, "id"), f"duplicate line id {line_id!r}"))
    seen.add(line_id)
    country = raw.get("country")
    if not isinstance(country, str) or not _COUNTRY_RE.match(country):
        out.append(doc.problem((*key, "country"), "country must be a two-letter code such as GB"))
        return None
    if country not in countries:
        out.append(
            doc.problem((*key, "country"), f"add {country} to `countries:` with its emergency numbers")
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        out.append(doc.problem((*key, "name"), "every line needs a name"))
        return None
    source = raw.get("source")
    if not isinstance(source, str) or not is_http_url(source):
        out.append(
            doc.problem((*key, "source"), "every line needs a `source:` URL of a page stating the number")
        )
    cost = raw.get("cost")
    if cost not in COSTS:
        out.append(doc.problem((*key, "cost"), f"every line needs `cost:` as one of {', '.join(COSTS)}"))
    unconfirmed = raw.get("unconfirmed", False)
    if not isinstance(unconfirmed, bool):
        out.append(doc.problem((*key, "unconfirmed"), "unconfirmed must be true or false"))
        unconfirmed = True
    raw_languages = raw.get("languages", [])
    codes: list[str] = []
    for n, code in enumerate(raw_languages if isinstance(raw_languages, list) else [raw_languages]):
        if not isinstance(code, str) or not _LANGUAGE_RE.match(code) or code not in languages:
            out.append(
                doc.problem((*key, "languages", n), f"unknown language {code!r}: add it to `languages:`")
            )
            continue
        codes.append(code)
    line = CrisisLine(
        id=line_id,
        country=country,
        name=name,
        phones=_phones(doc, (*key, "phone"), raw.get("phone"), out),
        text=_opt_str(doc, (*key, "text"), raw.get("text"), out),
        chat=_opt_url(doc, (*key, "chat"), raw.get("chat"), out),
        url=_opt_url(doc, (*key, "url"), raw.get("url"), out),
        hours=_hours(doc, (*key, "hours"), raw.get("hours"), out),
        cost=cost if isinstance(cost, str) and cost in COSTS else "unknown",
        languages=tuple(codes),
        dialling=_localised(doc, (*key, "dialling"), raw.get("dialling"), out),
        notes=_localised(doc, (*key, "notes"), raw.get("notes"), out),
        source=source if isinstance(source, str) else "",
        verified=_verified(doc, (*key, "verified"), raw.get("verified"), "every line", out),
        unconfirmed=unconfirmed,
    )
    if not (line.phones or line.text or line.chat or line.url):
        out.append(doc.problem(key, "a line needs at least one of phone, text, chat, url"))
    return line


def _parse_country(doc: Located, code: str, raw: object, out: list[Problem]) -> Country:
    key: Key = ("countries", code)
    entry = raw if isinstance(raw, dict) else {}
    if not isinstance(raw, dict):
        out.append(doc.problem(key, "a country needs `name:` and `emergency:`"))
    numbers: list[EmergencyNumber] = []
    raw_numbers = entry.get("emergency")
    for n, item in enumerate(raw_numbers if isinstance(raw_numbers, list) else []):
        number, service = (
            (item, "all") if not isinstance(item, dict) else (item.get("number"), item.get("service"))
        )
        if not isinstance(number, (str, int)) or not _NUMBER_RE.match(str(number)) or service not in SERVICES:
            out.append(
                doc.problem(
                    (*key, "emergency", n),
                    f"expected a number, or number: and service: ({', '.join(SERVICES)})",
                )
            )
            continue
        numbers.append(EmergencyNumber(str(number), str(service)))
    if not numbers:
        out.append(doc.problem(key, f"{code} needs its emergency number(s) in `emergency:`"))
    source = entry.get("source")
    if not isinstance(source, str) or not (is_http_url(source) or source == CONTENT_SOURCE):
        out.append(
            doc.problem(
                (*key, "source"),
                f"{code} needs a `source:` for its emergency numbers (a URL or {CONTENT_SOURCE})",
            )
        )
    return Country(
        code=code,
        names=_localised(doc, (*key, "name"), entry.get("name"), out),
        emergency=tuple(numbers),
        emergency_source=source if isinstance(source, str) else "",
        emergency_verified=_verified(
            doc, (*key, "verified"), entry.get("verified"), f"{code}'s emergency", out
        ),
    )


def _duplicates(doc: Located, lines: Iterable[tuple[int, CrisisLine]], out: list[Problem]) -> None:
    """A number may appear once per country: twice means a copy-paste slip or a stale entry."""
    seen: dict[tuple[str, str], str] = {}
    for n, line in lines:
        for phone in line.phones:
            key = (line.country, digits(phone))
            if key in seen:
                out.append(
                    doc.problem(
                        ("lines", n, "phone"),
                        f"{phone} is listed twice for {line.country} ({seen[key]} and {line.id})",
                    )
                )
            else:
                seen[key] = line.id


def _codes(
    doc: Located, key: Key, raw: object, countries: Mapping[str, Country], out: list[Problem]
) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    codes: list[str] = []
    for n, code in enumerate(items):
        if not isinstance(code, str) or code not in countries:
            out.append(doc.problem((*key, n), f"unknown country {code!r}"))
            continue
        codes.append(code)
    return tuple(codes)


def parse_directory(doc: Located) -> tuple[CrisisDirectory, list[Problem]]:
    """Validate a crisis_lines.yaml document."""
    out: list[Problem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    if not data:
        out.append(doc.problem((), "expected a mapping with `international`, `countries` and `lines`"))
    languages: dict[str, Localised] = {}
    raw_languages = data.get("languages", {})
    for code, names in raw_languages.items() if isinstance(raw_languages, dict) else []:
        languages[str(code)] = _localised(doc, ("languages", code), names, out)
    countries: dict[str, Country] = {}
    raw_countries = data.get("countries", {})
    if isinstance(raw_countries, dict):
        for code, entry in raw_countries.items():
            if not isinstance(code, str) or not _COUNTRY_RE.match(code):
                out.append(doc.problem(("countries", code), f"{code!r} is not a two-letter country code"))
                continue
            countries[code] = _parse_country(doc, code, entry, out)
    else:
        out.append(doc.problem(("countries",), "countries must map codes to names and emergency numbers"))
    hints: dict[str, tuple[str, ...]] = {}
    raw_hints = data.get("locale_hints", {})
    for loc, codes in raw_hints.items() if isinstance(raw_hints, dict) else []:
        hints[str(loc)] = _codes(doc, ("locale_hints", loc), codes, countries, out)
    menu_order = _codes(doc, ("menu_order",), data.get("menu_order", []), countries, out)
    international: list[Directory] = []
    raw_intl = data.get("international", [])
    for n, entry in enumerate(raw_intl if isinstance(raw_intl, list) else []):
        key: Key = ("international", n)
        if not isinstance(entry, dict):
            out.append(doc.problem(key, "each directory must be a mapping"))
            continue
        url = _opt_url(doc, (*key, "url"), entry.get("url"), out)
        international.append(
            Directory(
                id=str(entry.get("id", "")),
                name=str(entry.get("name", "")),
                url=url or "",
                description=_localised(doc, (*key, "description"), entry.get("description"), out),
            )
        )
    if not international:
        out.append(doc.problem(("international",), "at least one international directory is required"))
    lines: list[tuple[int, CrisisLine]] = []
    seen: set[str] = set()
    raw_lines = data.get("lines", [])
    for n, entry in enumerate(raw_lines if isinstance(raw_lines, list) else []):
        if not isinstance(entry, dict):
            out.append(doc.problem(("lines", n), "each line must be a mapping"))
            continue
        line = _parse_line(doc, ("lines", n), entry, countries, languages, seen, out)
        if line is not None:
            lines.append((n, line))
    _duplicates(doc, lines, out)
    directory = CrisisDirectory(
        tuple(line for _, line in lines), tuple(international), countries, hints, menu_order, languages
    )
    return directory, out


def _with_locale(value: Any, locale: str, convert: Callable[[str], str], source: str) -> Any:
    """Add `locale` to every Localised text inside a directory value (dataclasses, tuples, mappings)."""
    if isinstance(value, Localised):
        return value.with_text(locale, convert, source)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _with_locale(getattr(value, f.name), locale, convert, source)
            for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_with_locale(item, locale, convert, source) for item in value)
    if isinstance(value, Mapping):
        return {key: _with_locale(item, locale, convert, source) for key, item in value.items()}
    return value


def with_traditional(directory: CrisisDirectory, convert: Callable[[str], str]) -> CrisisDirectory:
    """The directory with Traditional Chinese ("zh-TW") made from every Simplified text, once at load."""
    result: CrisisDirectory = _with_locale(directory, "zh-TW", convert, "zh")
    return result


def load_directory(path: Path) -> tuple[CrisisDirectory | None, list[Problem]]:
    """Load and validate the directory file."""
    try:
        doc = load_located(path, "resources/" + path.name)
    except YamlError as exc:
        return None, [exc.problem]
    return parse_directory(doc)
