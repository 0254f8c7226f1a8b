"""Load YAML while remembering the line of every value, so content errors say file:line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import BaseConstructor

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located for a human to fix."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        """Render as the conventional `file:line: message`."""
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Located:
    """A parsed document plus the 1-based line of each value, keyed by its path."""

    data: Any
    lines: dict[Key, int]
    file: str

    def line(self, *key: str | int) -> int:
        """Return the line of the value at `key`, or of its nearest located parent."""
        path: Key = tuple(key)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, key: Key, message: str) -> Problem:
        """Build a Problem pointing at the value at `key`."""
        return Problem(self.file, self.line(*key), message)


class YamlError(Exception):
    """A file that is not valid YAML at all."""

    def __init__(self, problem: Problem) -> None:
        """Wrap the located problem."""
        super().__init__(str(problem))
        self.problem = problem


# The tags plain YAML data resolves to; anything else (`!!python/...`, `!custom`) is refused.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp", "binary")
)


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases: a few bytes of aliases can expand to gigabytes."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Refuse an alias or an anchor before PyYAML expands it; otherwise compose as usual."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlError(
                Problem(
                    "",
                    event.start_mark.line + 1,
                    "anchors and aliases (&name, *name) are not allowed; write the value out",
                )
            )
        return super().compose_node(parent, index)


def _build(node: yaml.Node, path: Key, lines: dict[Key, int], loader: BaseConstructor) -> Any:
    lines[path] = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        raise YamlError(Problem("", node.start_mark.line + 1, f"the tag {node.tag!r} is not allowed"))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in result:
                raise YamlError(Problem("", key_node.start_mark.line + 1, f"duplicate key {key!r}"))
            result[key] = _build(value_node, (*path, key), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*path, i), lines, loader) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_located(text: str, file: str) -> Located:
    """Parse YAML text into plain data with a line for every value; raise YamlError if invalid."""
    try:
        loader = _PlainLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character the reader refuses
        line = text.count("\n", 0, exc.position) + 1
        raise YamlError(Problem(file, line, f"character U+{exc.character:04X} is not allowed here")) from None
    try:
        node = loader.get_single_node()
        lines: dict[Key, int] = {}
        data = None if node is None else _build(node, (), lines, loader)
    except YamlError as exc:
        raise YamlError(Problem(file, exc.problem.line, exc.problem.message)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlError(Problem(file, line, str(exc.problem or exc))) from None
    except yaml.YAMLError as exc:
        raise YamlError(Problem(file, 1, str(exc))) from None
    except RecursionError:  # `[[[[...` a few thousand deep: refused like any other bad file
        line = min(loader.line + 1, text.count("\n") + 1)
        raise YamlError(Problem(file, line, "lists and keys are nested too deeply")) from None
    finally:
        loader.dispose()
    return Located(data, lines, file)


#: Deepest nesting the libyaml fast path composes (its composer recurses in C, unguarded).
FAST_MAX_DEPTH = 64
_CLoader: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)


def _parse_fast(text: str, file: str) -> Located | None:
    """The same result as :func:`parse_located` through libyaml (about ten times faster); None if unsure.

    libyaml's composer cannot be taught to refuse anchors, so one pass over its events (iterative,
    in C) checks first that the file has no anchor, no alias and no deep nesting. Anything the
    fast path does not accept as plainly valid (a refusal, a syntax error) returns None, and the
    pure-Python loader parses the text again to word the problem exactly as it always has.
    """
    if _CLoader is None:
        return None
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                return None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > FAST_MAX_DEPTH:
                    return None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        loader = _CLoader(text)
        try:
            node = loader.get_single_node()
            lines: dict[Key, int] = {}
            data = None if node is None else _build(node, (), lines, loader)
        finally:
            loader.dispose()
    except (yaml.YAMLError, YamlError, RecursionError, ValueError):
        return None
    return Located(data, lines, file)


def load_located(path: Path, display: str | None = None) -> Located:
    """Read and parse a YAML file with line information (shipped files: the libyaml fast path)."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(Problem(name, 1, f"cannot read file: {exc}")) from None
    return _parse_fast(text, name) or parse_located(text, name)
