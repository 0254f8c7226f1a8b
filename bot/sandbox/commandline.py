"""Slash commands typed as text, read the way Discord's client reads them.

``/resources search query:money``: the command path, then ``name:value`` options. A value runs
until the next option name of that command, so ``text:What would you try?`` needs no quotes;
quotes are allowed (``text:"two words"``). Channels are ``#name``, roles and users ``@name``;
booleans ``true``/``false`` (or yes/no); choices by value or by their shown name. Everything
is checked against the schema kindred synced, so the sandbox can say what went wrong before
Discord (the fake) would.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from fakediscord.interactions import Channel, OptionType, OptionValue, Role, User
from fakediscord.models import JSON

_OPTION = re.compile(r"(?:^|(?<=\s))([A-Za-z_][\w-]*):")
_TRUE = {"true", "yes", "on", "1", "y"}
_FALSE = {"false", "no", "off", "0", "n"}
_GROUPS = (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)
_TYPE_HINTS = {
    OptionType.STRING: "text",
    OptionType.INTEGER: "number",
    OptionType.NUMBER: "number",
    OptionType.BOOLEAN: "true|false",
    OptionType.USER: "@user",
    OptionType.CHANNEL: "#channel",
    OptionType.ROLE: "@role",
    OptionType.MENTIONABLE: "@user|@role",
    OptionType.ATTACHMENT: "file path",
}


class CommandLineError(ValueError):
    """A typed command cannot be sent; the message says why and how to write it."""


class Lookup(Protocol):
    """Names of the simulated lab's channels, roles and users, and file uploads."""

    def channel_named(self, name: str) -> int | None:
        """A channel id by name."""

    def role_named(self, name: str) -> int | None:
        """A role id by name."""

    def user_named(self, name: str) -> int | None:
        """A user id by name."""


@dataclass(frozen=True)
class CommandLine:
    """A parsed command: its path (``("admin", "prompts", "add")``) and option values."""

    path: tuple[str, ...]
    options: dict[str, OptionValue]

    @property
    def name(self) -> str:
        """The path as the fake takes it: ``"admin prompts add"``."""
        return " ".join(self.path)


@dataclass(frozen=True)
class Leaf:
    """A command you can run, with its option specs."""

    path: tuple[str, ...]
    description: str
    options: tuple[JSON, ...]

    def usage(self) -> str:
        """``/subscribe kind:(checkin|prompt) day:<text> [timezone:<text>]``."""
        parts = ["/" + " ".join(self.path)]
        for spec in self.options:
            choices = spec.get("choices")
            hint = (
                "|".join(str(c["value"]) for c in choices) if choices else _TYPE_HINTS.get(spec["type"], "…")
            )
            shown = f"{spec['name']}:({hint})" if choices else f"{spec['name']}:<{hint}>"
            parts.append(shown if spec.get("required") else f"[{shown}]")
        return " ".join(parts)


def _subcommands(node: JSON) -> list[JSON]:
    return [o for o in node.get("options") or [] if o.get("type") in _GROUPS]


class Catalog:
    """The slash commands kindred synced, for parsing, completing and listing."""

    def __init__(self, commands: Iterable[JSON]) -> None:
        """Index the synced chat-input commands."""
        self.roots = {c["name"]: c for c in commands if c.get("type", 1) == 1}

    def leaves(self) -> list[Leaf]:
        """Every runnable command path, sorted."""
        found: list[Leaf] = []

        def walk(node: JSON, path: tuple[str, ...]) -> None:
            children = _subcommands(node)
            if not children:
                found.append(Leaf(path, str(node.get("description", "")), tuple(node.get("options") or [])))
            for child in children:
                walk(child, (*path, child["name"]))

        for name in sorted(self.roots):
            walk(self.roots[name], (name,))
        return found

    def _descend(self, words: list[str]) -> tuple[tuple[str, ...], JSON, int]:
        """Match leading words to a command path; return (path, node, words used)."""
        if not words:
            raise CommandLineError("Type a command after the slash, e.g. /help.")
        root = self.roots.get(words[0])
        if root is None:
            close = difflib.get_close_matches(words[0], list(self.roots), n=1)
            hint = f" Did you mean /{close[0]}?" if close else ""
            raise CommandLineError(f"kindred has no command /{words[0]}.{hint} Type :help for the list.")
        path: tuple[str, ...] = (words[0],)
        node = root
        used = 1
        while children := _subcommands(node):
            names = [c["name"] for c in children]
            word = words[used] if used < len(words) else None
            match = next((c for c in children if c["name"] == word), None)
            if match is None:
                where = "/" + " ".join(path)
                said = f" (not {word!r})" if word and ":" not in word else ""
                raise CommandLineError(f"{where} needs one of: {', '.join(names)}{said}.")
            path = (*path, match["name"])
            node = match
            used += 1
        return path, node, used

    def parse(
        self, line: str, lookup: Lookup, attach: Callable[[str], OptionValue] | None = None
    ) -> CommandLine:
        """Parse ``/command sub option:value …`` into a :class:`CommandLine`."""
        text = line.strip().removeprefix("/")
        words = text.split()
        path, node, used = self._descend(words)
        rest = text
        for _ in range(used):
            rest = rest.lstrip()
            rest = rest[len(rest.split(maxsplit=1)[0]) :]
        specs = {o["name"]: o for o in node.get("options") or []}
        raw = _split_options(rest, specs, "/" + " ".join(path))
        options: dict[str, OptionValue] = {}
        for name, value in raw:
            spec = specs.get(name)
            options[name] = value if spec is None else _convert(name, value, spec, lookup, attach)
        return CommandLine(path, options)

    def leaf(self, path: tuple[str, ...]) -> Leaf | None:
        """The runnable command at `path`, if any."""
        return next((leaf for leaf in self.leaves() if leaf.path == path), None)

    def complete(self, before: str, lookup_names: Callable[[int], list[str]]) -> list[str]:
        """Candidates for the word being typed at the end of `before` (a whole word each).

        ``lookup_names(option_type)`` lists channel/role/user names for entity options.
        """
        text = before.lstrip().removeprefix("/")
        words = text.split()
        current = "" if not text or text[-1].isspace() else words.pop()
        if not words:
            return ["/" + name + " " for name in sorted(self.roots) if name.startswith(current)]
        node, path = self._reach(words)
        if node is None:
            return []
        children = _subcommands(node)
        if children:
            if len(path) < len(words):
                return []
            return [c["name"] + " " for c in children if c["name"].startswith(current)]
        specs = {o["name"]: o for o in node.get("options") or []}
        given = {m.group(1) for m in _OPTION.finditer(" ".join(words)) if m.group(1) in specs}
        if ":" in current:
            name, _, partial = current.partition(":")
            spec = specs.get(name)
            if spec is None:
                return []
            values = option_values(spec, lookup_names)
            return [f"{name}:{v} " for v in values if v.casefold().startswith(partial.casefold())]
        return [f"{n}:" for n in specs if n not in given and n.startswith(current)]

    def _reach(self, words: list[str]) -> tuple[JSON | None, tuple[str, ...]]:
        """The deepest command node the leading words name, and its path."""
        node = self.roots.get(words[0])
        if node is None:
            return None, ()
        path: tuple[str, ...] = (words[0],)
        for word in words[1:]:
            match = next((c for c in _subcommands(node) if c["name"] == word), None)
            if match is None:
                break
            node = match
            path = (*path, word)
        return node, path


def option_values(spec: JSON, lookup_names: Callable[[int], list[str]]) -> list[str]:
    """Values worth suggesting for an option: its choices, booleans, or the lab's channels/roles/users."""
    otype = spec["type"]
    if spec.get("choices"):
        return [str(c["value"]) for c in spec["choices"]]
    if otype == OptionType.BOOLEAN:
        return ["true", "false"]
    if otype == OptionType.CHANNEL:
        return ["#" + n for n in lookup_names(otype)]
    if otype in (OptionType.ROLE, OptionType.USER, OptionType.MENTIONABLE):
        return ["@" + n for n in lookup_names(otype)]
    return []


def _split_options(rest: str, specs: dict[str, JSON], where: str) -> list[tuple[str, str]]:
    marks = [m for m in _OPTION.finditer(rest) if m.group(1) in specs]
    lead = rest[: marks[0].start() if marks else len(rest)].strip()
    pairs: list[tuple[str, str]] = []
    if lead:
        unknown = re.match(r"([A-Za-z_][\w-]*):(.*)", lead, re.DOTALL)
        if unknown is None:
            known = ", ".join(f"{n}:" for n in specs) or "none"
            raise CommandLineError(
                f"Write options as name:value after {where} (its options: {known}); "
                f"“{lead[:40]}” has no name."
            )
        pairs.append((unknown.group(1), _unquote(unknown.group(2).strip())))  # the fake names it
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(rest)
        value = _unquote(rest[mark.end() : end].strip())
        name = mark.group(1)
        if any(name == n for n, _ in pairs):
            raise CommandLineError(f"{name}: is given twice.")
        if not value:
            raise CommandLineError(f"{name}: needs a value, e.g. {name}:{_example(specs[name])}.")
        pairs.append((name, value))
    return pairs


def _example(spec: JSON) -> str:
    if spec.get("choices"):
        return str(spec["choices"][0]["value"])
    return {
        OptionType.BOOLEAN: "true",
        OptionType.INTEGER: "5",
        OptionType.CHANNEL: "#general",
        OptionType.ROLE: "@wellbeing",
    }.get(spec["type"], "…")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].replace("\\" + value[0], value[0])
    return value


def _convert(
    name: str, value: str, spec: JSON, lookup: Lookup, attach: Callable[[str], OptionValue] | None
) -> OptionValue:
    otype = spec["type"]
    converted: Any = value
    if otype in (OptionType.INTEGER, OptionType.NUMBER):
        try:
            converted = int(value) if otype == OptionType.INTEGER else float(value)
        except ValueError:
            kind = "a whole number" if otype == OptionType.INTEGER else "a number"
            raise CommandLineError(f"{name}: needs {kind}, not “{value}”.") from None
    elif otype == OptionType.BOOLEAN:
        if value.casefold() not in _TRUE | _FALSE:
            raise CommandLineError(f"{name}: is true or false, not “{value}”.")
        return value.casefold() in _TRUE
    elif otype == OptionType.CHANNEL:
        found = lookup.channel_named(value)
        if found is None and value.isdigit():
            found = int(value)
        if found is None:
            raise CommandLineError(f"{name}: there is no channel {value} in the lab.")
        return Channel(found)
    elif otype in (OptionType.ROLE, OptionType.USER, OptionType.MENTIONABLE):
        role = lookup.role_named(value) if otype != OptionType.USER else None
        user = lookup.user_named(value) if otype != OptionType.ROLE and role is None else None
        if role is not None:
            return Role(role)
        if user is not None:
            return User(user)
        if value.isdigit():
            return int(value)
        raise CommandLineError(
            f"{name}: there is no {'role' if otype == OptionType.ROLE else 'one'} called {value} in the lab."
        )
    elif otype == OptionType.ATTACHMENT:
        if attach is None:
            raise CommandLineError(f"{name}: files cannot be attached here.")
        return attach(value)
    for choice in spec.get("choices") or []:
        if str(choice["value"]) == str(converted):
            return converted  # type: ignore[no-any-return]
    for choice in spec.get("choices") or []:
        if str(choice["name"]).casefold() == value.casefold():
            return choice["value"]  # type: ignore[no-any-return]
    return converted  # type: ignore[no-any-return]  # the fake checks the rest against the schema
