"""The shipped crisis-line directory: loaded and validated at start, served without the database."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.validation import SLUG_RE, is_http_url
from bot.yamlfile import Key, Located, Problem, YamlError, load_located

_VERIFIED_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Localised:
    """A short text in English with optional translations."""

    texts: Mapping[str, str] = field(default_factory=dict)

    def get(self, locale: str) -> str:
        """Return the text for `locale`, else English, else empty."""
        return self.texts.get(locale) or self.texts.get("en", "")


@dataclass(frozen=True)
class CrisisLine:
    """One verified service people can reach now."""

    id: str
    country: str
    name: str
    phone: str | None
    text: str | None
    chat: str | None
    url: str | None
    hours: str | None
    notes: Localised
    source: str
    verified: str
    unconfirmed: bool


@dataclass(frozen=True)
class Directory:
    """A worldwide service that finds a line in any country."""

    id: str
    name: str
    url: str
    description: Localised


@dataclass(frozen=True)
class CrisisDirectory:
    """Every line we ship, by country, plus international directories."""

    lines: tuple[CrisisLine, ...]
    international: tuple[Directory, ...]
    country_names: Mapping[str, Localised]
    locale_defaults: Mapping[str, str]

    def lines_for(self, country: str) -> tuple[CrisisLine, ...]:
        """Lines for a country code (empty if we have none)."""
        code = country.upper()
        return tuple(line for line in self.lines if line.country == code)

    def country_name(self, code: str, locale: str) -> str:
        """Display name of a country in `locale`, or the code itself."""
        name = self.country_names.get(code.upper())
        return name.get(locale) if name else code.upper()

    def default_country(self, discord_locale: str | None) -> str | None:
        """The country to show first for a Discord locale such as en-GB or zh-CN."""
        if not discord_locale:
            return None
        return self.locale_defaults.get(discord_locale) or self.locale_defaults.get(
            discord_locale.split("-")[0])

    def countries(self) -> list[str]:
        """Codes that have at least one line, in a stable order."""
        return sorted({line.country for line in self.lines})

    def match_countries(self, query: str, locale: str, limit: int = 25) -> list[tuple[str, str]]:
        """Countries whose code or name (any language) matches `query`, best first."""
        needle = query.strip().casefold()
        scored: list[tuple[int, str, str]] = []
        for code in self.countries():
            names = [code, *self.country_names.get(code, Localised()).texts.values()]
            label = f"{self.country_name(code, locale)} ({code})"
            folded = [n.casefold() for n in names]
            if not needle:
                scored.append((1, label, code))
            elif needle == code.casefold() or needle in {n for n in folded}:
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
        for code in self.countries():
            names = [code, *self.country_names.get(code, Localised()).texts.values()]
            if needle in {n.casefold() for n in names}:
                return code
        matches = self.match_countries(query, "en", limit=2)
        return matches[0][0] if len(matches) == 1 else None


def _localised(doc: Located, key: Key, raw: object, out: list[Problem]) -> Localised:
    if raw is None:
        return Localised()
    if isinstance(raw, str):
        return Localised({"en": raw})
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


def _parse_line(doc: Located, key: Key, raw: dict[str, object], countries: Mapping[str, Localised],
                seen: set[str], out: list[Problem]) -> CrisisLine | None:
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
        out.append(doc.problem((*key, "country"), f"add {country} to `countries:` with its names"))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        out.append(doc.problem((*key, "name"), "every line needs a name"))
        return None
    source = raw.get("source")
    if not isinstance(source, str) or not is_http_url(source):
        out.append(doc.problem((*key, "source"), "every line needs a `source:` URL"))
    verified = raw.get("verified")
    if not isinstance(verified, str) or not _VERIFIED_RE.match(verified):
        out.append(doc.problem((*key, "verified"), "every line needs `verified:` as YYYY-MM or YYYY-MM-DD"))
    unconfirmed = raw.get("unconfirmed", False)
    if not isinstance(unconfirmed, bool):
        out.append(doc.problem((*key, "unconfirmed"), "unconfirmed must be true or false"))
        unconfirmed = True
    line = CrisisLine(
        id=line_id, country=country, name=name,
        phone=_opt_str(doc, (*key, "phone"), raw.get("phone"), out),
        text=_opt_str(doc, (*key, "text"), raw.get("text"), out),
        chat=_opt_url(doc, (*key, "chat"), raw.get("chat"), out),
        url=_opt_url(doc, (*key, "url"), raw.get("url"), out),
        hours=_opt_str(doc, (*key, "hours"), raw.get("hours"), out),
        notes=_localised(doc, (*key, "notes"), raw.get("notes"), out),
        source=source if isinstance(source, str) else "",
        verified=verified if isinstance(verified, str) else "",
        unconfirmed=unconfirmed,
    )
    if not (line.phone or line.text or line.chat or line.url):
        out.append(doc.problem(key, "a line needs at least one of phone, text, chat, url"))
    return line


def parse_directory(doc: Located) -> tuple[CrisisDirectory, list[Problem]]:
    """Validate a crisis_lines.yaml document."""
    out: list[Problem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    if not data:
        out.append(doc.problem((), "expected a mapping with `international`, `countries` and `lines`"))
    countries: dict[str, Localised] = {}
    raw_countries = data.get("countries", {})
    if isinstance(raw_countries, dict):
        for code, names in raw_countries.items():
            if not isinstance(code, str) or not _COUNTRY_RE.match(code):
                out.append(doc.problem(("countries", code), f"{code!r} is not a two-letter country code"))
                continue
            countries[code] = _localised(doc, ("countries", code), names, out)
    else:
        out.append(doc.problem(("countries",), "countries must map codes to names"))
    defaults: dict[str, str] = {}
    raw_defaults = data.get("locale_defaults", {})
    if isinstance(raw_defaults, dict):
        for loc, code in raw_defaults.items():
            if not isinstance(code, str) or code not in countries:
                out.append(doc.problem(("locale_defaults", loc), f"unknown country {code!r}"))
                continue
            defaults[str(loc)] = code
    international: list[Directory] = []
    raw_intl = data.get("international", [])
    for n, entry in enumerate(raw_intl if isinstance(raw_intl, list) else []):
        key: Key = ("international", n)
        if not isinstance(entry, dict):
            out.append(doc.problem(key, "each directory must be a mapping"))
            continue
        url = _opt_url(doc, (*key, "url"), entry.get("url"), out)
        international.append(Directory(
            id=str(entry.get("id", "")), name=str(entry.get("name", "")), url=url or "",
            description=_localised(doc, (*key, "description"), entry.get("description"), out),
        ))
    if not international:
        out.append(doc.problem(("international",), "at least one international directory is required"))
    lines: list[CrisisLine] = []
    seen: set[str] = set()
    raw_lines = data.get("lines", [])
    for n, entry in enumerate(raw_lines if isinstance(raw_lines, list) else []):
        if not isinstance(entry, dict):
            out.append(doc.problem(("lines", n), "each line must be a mapping"))
            continue
        line = _parse_line(doc, ("lines", n), entry, countries, seen, out)
        if line is not None:
            lines.append(line)
    directory = CrisisDirectory(tuple(lines), tuple(international), countries, defaults)
    return directory, out


def load_directory(path: Path) -> tuple[CrisisDirectory | None, list[Problem]]:
    """Load and validate the directory file."""
    try:
        doc = load_located(path, "resources/" + path.name)
    except YamlError as exc:
        return None, [exc.problem]
    return parse_directory(doc)
