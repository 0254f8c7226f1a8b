"""User-facing strings in English and Chinese (Simplified, and Traditional for zh-TW/zh-HK)."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.content import DEFAULT_LOCALE, LOCALES, SOURCE_LOCALES, TRADITIONAL
from bot.hant import load_traditionaliser
from bot.yamlfile import Problem, YamlError, load_located

_FIELD_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
# Discord locales read in Traditional characters (Discord sends zh-TW today; zh-HK if it ever does).
TRADITIONAL_LOCALES = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


def _code(discord_locale: object) -> str:
    return str(getattr(discord_locale, "value", discord_locale) or "").lower()


def lang_of(discord_locale: object) -> str:
    """Map a Discord locale (e.g. zh-TW, en-GB, or a discord.Locale) to its language: "zh" or "en".

    The language, not the script: crisis-line names and notes are kept per language.
    """
    return "zh" if _code(discord_locale).startswith("zh") else DEFAULT_LOCALE


def pack_of(discord_locale: object) -> str:
    """Map a Discord locale to the resource pack it reads: "en", "zh" or "zh-TW" (Traditional)."""
    code = _code(discord_locale)
    if code.startswith(TRADITIONAL_LOCALES):
        return TRADITIONAL
    return lang_of(code)


def _flatten(prefix: str, raw: Any, out: dict[str, str], bad: list[str]) -> None:
    if isinstance(raw, dict):
        for key, value in raw.items():
            if not isinstance(key, str):  # e.g. an unquoted `yes:` loads as True
                bad.append(f"{prefix}.{key}" if prefix else str(key))
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out, bad)
    else:
        out[prefix] = str(raw)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class Strings:
    """Lookup of translated templates with English fallback."""

    def __init__(self, tables: Mapping[str, Mapping[str, str]]) -> None:
        """Hold one flat table per language."""
        self._tables = tables

    def t(self, locale: object, key: str, **values: object) -> str:
        """Render `key` for the locale of an interaction; English when untranslated."""
        pack = pack_of(locale)
        template = (
            self._tables.get(pack, {}).get(key)
            or self._tables.get(lang_of(pack), {}).get(key)
            or self._tables[DEFAULT_LOCALE].get(key)
        )
        if template is None:
            raise KeyError(f"no string {key!r}")
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        """True if an English string exists for `key`."""
        return key in self._tables[DEFAULT_LOCALE]

    def keys(self, lang: str) -> frozenset[str]:
        """Every key with a template of its own in `lang` ("en", "zh", "zh-TW"), without fallback."""
        return frozenset(self._tables.get(lang, {}))


def string_files(resources_dir: Path, lang: str) -> list[Path]:
    """The string files of one language: strings.yaml first, then strings-<area>.yaml by name."""
    folder = resources_dir / lang
    return [folder / "strings.yaml", *sorted(folder.glob("strings-*.yaml"))]


def load_strings(resources_dir: Path) -> tuple[Strings, list[Problem]]:
    """Load resources/<lang>/strings*.yaml; check every language has the same keys and fields.

    The zh-TW table is the zh table in Traditional characters (bot.hant), checked like the others.
    """
    tables: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for lang in SOURCE_LOCALES:
        flat: dict[str, str] = {}
        for path in string_files(resources_dir, lang):
            name = f"resources/{lang}/{path.name}"
            try:
                doc = load_located(path, name)
            except YamlError as exc:
                problems.append(exc.problem)
                continue
            part: dict[str, str] = {}
            bad_keys: list[str] = []
            _flatten("", doc.data or {}, part, bad_keys)
            problems += [
                Problem(
                    name, 1, f"key {key!r} is not text; quote it (YAML reads yes/no/on/off as true/false)"
                )
                for key in bad_keys
            ]
            for key, template in part.items():
                if key in flat:
                    problems.append(doc.problem(tuple(key.split(".")), f"{key!r} is defined twice"))
                try:
                    names = _fields(template)
                except ValueError as exc:
                    problems.append(doc.problem(tuple(key.split(".")), f"bad template: {exc}"))
                    continue
                bad = [n for n in names if not _FIELD_RE.match(n)]
                if bad:
                    problems.append(doc.problem(tuple(key.split(".")), f"bad placeholder {bad[0]!r}"))
            flat.update(part)
        tables[lang] = flat
    traditionalise, _ = load_traditionaliser(resources_dir)  # its problems are reported by load_library
    tables[TRADITIONAL] = traditionalise.table(tables.get("zh", {}))
    english = tables.get(DEFAULT_LOCALE, {})
    for lang in LOCALES:
        table = tables.get(lang, {})
        if lang == DEFAULT_LOCALE:
            continue
        file = (
            f"resources/{lang}/strings*.yaml"
            if lang in SOURCE_LOCALES
            else f"resources/zh/strings*.yaml (as {lang})"
        )
        for key in sorted(set(english) - set(table)):
            problems.append(Problem(file, 1, f"missing translation for {key!r}"))
        for key in sorted(set(table) - set(english)):
            problems.append(Problem(file, 1, f"{key!r} is not in resources/en/strings*.yaml"))
        for key in sorted(set(table) & set(english)):
            try:
                if _fields(table[key]) != _fields(english[key]):
                    problems.append(Problem(file, 1, f"{key!r} must use the same placeholders as English"))
            except ValueError:
                continue
    return Strings(tables), problems
