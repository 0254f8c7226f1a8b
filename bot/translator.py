"""Chinese names and descriptions for slash commands, applied by discord.py when commands sync.

zh-CN gets resources/zh/commands.yaml as written; zh-TW gets the same table in Traditional characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.hant import Traditionaliser, load_traditionaliser
from bot.yamlfile import Problem, YamlError, load_located

CHINESE = (discord.Locale.chinese, discord.Locale.taiwan_chinese)
NAME_PLACES = (Where.command_name, Where.group_name)
# Discord's rule for command names (any script's letters and digits, dash, underscore).
VALID_NAME = re.compile(r"^[-_'\w]{1,32}$")


class CommandTranslator(app_commands.Translator):
    """Look up the Chinese for a command name or description; None leaves it in English."""

    def __init__(
        self, names: Mapping[str, str], texts: Mapping[str, str], traditional: Traditionaliser | None = None
    ) -> None:
        """Hold the tables (English original -> Simplified, and -> Traditional when a converter is given)."""
        super().__init__()
        self.names = dict(names)
        self.texts = dict(texts)
        self.names_tw = traditional.table(self.names) if traditional else dict(self.names)
        self.texts_tw = traditional.table(self.texts) if traditional else dict(self.texts)

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """Translate for zh-CN (Simplified) and zh-TW (Traditional); option names stay English."""
        if locale not in CHINESE or context.location is Where.parameter_name:
            return None
        taiwan = locale is discord.Locale.taiwan_chinese
        if context.location in NAME_PLACES:
            table = self.names_tw if taiwan else self.names
        else:
            table = self.texts_tw if taiwan else self.texts
        return table.get(string.message)


def load_translator(resources_dir: Path) -> tuple[CommandTranslator, list[Problem]]:
    """Read resources/zh/commands.yaml (then commands-<area>.yaml) and check every name is valid."""
    problems: list[Problem] = []
    tables: list[dict[str, str]] = [{}, {}]
    folder = resources_dir / "zh"
    for path in [folder / "commands.yaml", *sorted(folder.glob("commands-*.yaml"))]:
        name = f"resources/zh/{path.name}"
        try:
            doc = load_located(path, name)
        except YamlError as exc:
            if path.name == "commands.yaml":
                return CommandTranslator({}, {}), [exc.problem]
            problems.append(exc.problem)
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        for n, section in enumerate(("names", "texts")):
            raw = data.get(section, {} if path.name != "commands.yaml" else None)
            if not isinstance(raw, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
            ):
                problems.append(
                    doc.problem((section,), f"`{section}:` must map English text to Chinese text")
                )
                raw = {}
            for english, chinese in raw.items():
                if tables[n].get(english, chinese) != chinese:
                    problems.append(
                        doc.problem((section, english), f"{english!r} is translated differently twice")
                    )
            tables[n].update(raw)
    traditional, _ = load_traditionaliser(resources_dir)  # its problems are reported by load_library
    translator = CommandTranslator(tables[0], tables[1], traditional)
    for table in (translator.names, translator.names_tw):
        for english, chinese in table.items():
            if not VALID_NAME.match(chinese) or chinese != chinese.lower():
                problems.append(doc.problem(("names", english), f"{chinese!r} is not a valid command name"))
    for english in sorted(set(translator.names) ^ set(translator.names_tw)):
        problems.append(doc.problem(("names", english), f"{english!r} lacks a zh-CN or zh-TW name"))
    return translator, problems
