"""Moderator edits as data: overlay rows, lab topics, and planning an import against the defaults.

Pure: no database and no Discord, so import parsing and validation can be fuzzed directly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import yaml

from bot.content import Library, ResourceItem, Topic, parse_topics
from bot.validation import ITEM_KINDS, MAX_DESCRIPTION, MAX_TITLE, text_problems, url_problem
from bot.yamlfile import Problem, YamlError, parse_located

IMPORT_NAME = "import.yaml"
MAX_IMPORT_BYTES = 256 * 1024


@dataclass(frozen=True)
class OverlayRow:
    """A guild's version of one item: edited default, hidden default, or its own addition."""

    item_id: str
    topic: str
    state: str  # 'edited' | 'hidden' | 'added'
    title: str | None = None
    url: str | None = None
    kind: str | None = None
    description: str | None = None
    position: int = 0


@dataclass(frozen=True)
class LabTopic:
    """A topic a guild created for itself."""

    slug: str
    title: str
    summary: str = ""


@dataclass(frozen=True)
class Change:
    """Target state of each touched row; None means 'no overlay row'."""

    items: Mapping[str, OverlayRow | None] = field(default_factory=dict)
    topics: Mapping[str, LabTopic | None] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing is touched."""
        return not self.items and not self.topics


@dataclass(frozen=True)
class ImportPlan:
    """What an import would change, counted for the confirmation summary."""

    change: Change
    locale: str
    added: int = 0
    edited: int = 0
    hidden: int = 0
    restored: int = 0
    removed: int = 0
    new_topics: int = 0
    removed_topics: int = 0

    @property
    def is_empty(self) -> bool:
        """True when the file matches what the guild already has."""
        return self.change.is_empty()


def slugify(text: str, taken: Iterable[str], prefix: str = "lab") -> str:
    """A new lowercase-kebab id from a title, unique among `taken` (falls back to prefix-N)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    base = f"{prefix}-{base}" if base else prefix
    used = set(taken)
    if base not in used and base != prefix:
        return base
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def row_from_item(item: ResourceItem, state: str) -> OverlayRow:
    """An overlay row carrying an item's fields."""
    return OverlayRow(item.id, item.topic, state, item.title, item.url, item.kind, item.description)


def _same(item: ResourceItem, other: ResourceItem) -> bool:
    return (item.title, item.url, item.kind, item.description) == (
        other.title,
        other.url,
        other.kind,
        other.description,
    )


def plan_import(
    text: str, library: Library, rows: Iterable[OverlayRow], lab_topics: Iterable[LabTopic]
) -> tuple[ImportPlan | None, list[Problem]]:
    """Compare an exported-style YAML list with the defaults and the guild's current overlay.

    The file describes the whole list the guild wants. Shipped items it leaves out are hidden,
    shipped items it changes are edited, unknown ids are the lab's own, and topics that are not
    shipped become lab topics. Nothing is applied here: the caller confirms, then applies `change`.
    """
    if len(text.encode()) > MAX_IMPORT_BYTES:
        return None, [Problem(IMPORT_NAME, 1, f"file is larger than {MAX_IMPORT_BYTES // 1024} KiB")]
    try:
        doc = parse_located(text, IMPORT_NAME)
    except YamlError as exc:
        return None, [exc.problem]
    problems: list[Problem] = []
    topics = parse_topics(doc, None, problems, min_items=0)
    if problems:
        return None, problems
    locale = str(doc.data["locale"])
    pack = library.pack(locale)
    shipped_topics = {t.slug: t for t in pack.topics}
    shipped_items = {i.id: i for t in pack.topics for i in t.items}
    current_rows = {r.item_id: r for r in rows}
    current_topics = {t.slug: t for t in lab_topics}

    wanted_items: dict[str, OverlayRow | None] = {}
    wanted_topics: dict[str, LabTopic | None] = {}
    counts = {
        "added": 0,
        "edited": 0,
        "hidden": 0,
        "restored": 0,
        "removed": 0,
        "new_topics": 0,
        "removed_topics": 0,
    }
    listed: set[str] = set()
    for n, topic in enumerate(topics):
        if topic.slug not in shipped_topics:
            wanted_topics[topic.slug] = LabTopic(topic.slug, topic.title, topic.summary)
        for m, item in enumerate(topic.items):
            listed.add(item.id)
            default = shipped_items.get(item.id)
            if default is not None and default.topic != topic.slug:
                problems.append(
                    doc.problem(
                        ("topics", n, "items", m, "id"),
                        f"{item.id!r} is a shipped item of topic {default.topic!r}; "
                        "keep it there or remove it",
                    )
                )
                continue
            if default is None:
                wanted_items[item.id] = OverlayRow(
                    item.id,
                    topic.slug,
                    "added",
                    item.title,
                    item.url,
                    item.kind,
                    item.description,
                    position=m,
                )
            elif _same(item, default):
                wanted_items[item.id] = None
            else:
                wanted_items[item.id] = row_from_item(item, "edited")
    if problems:
        return None, problems
    for item_id, default in shipped_items.items():
        if item_id not in listed:
            wanted_items[item_id] = OverlayRow(item_id, default.topic, "hidden")
    for item_id in current_rows:
        wanted_items.setdefault(item_id, None)
    for slug in current_topics:
        wanted_topics.setdefault(slug, None)

    items = {
        k: v
        for k, v in wanted_items.items()
        if current_rows.get(k) != v
        and not (
            v is not None and (old := current_rows.get(k)) is not None and _equal_ignoring_position(old, v)
        )
    }
    changed_topics = {k: v for k, v in wanted_topics.items() if current_topics.get(k) != v}
    for item_id, row in items.items():
        if row is None:
            counts["restored" if item_id in shipped_items else "removed"] += 1
        else:
            counts[row.state] += 1
    for lab in changed_topics.values():
        counts["new_topics" if lab is not None else "removed_topics"] += 1
    return ImportPlan(Change(items, changed_topics), locale, **counts), []


def _equal_ignoring_position(a: OverlayRow, b: OverlayRow) -> bool:
    return (a.item_id, a.topic, a.state, a.title, a.url, a.kind, a.description) == (
        b.item_id,
        b.topic,
        b.state,
        b.title,
        b.url,
        b.kind,
        b.description,
    )


def export_yaml(topics: Iterable[Topic], locale: str, server: str, now: datetime) -> str:
    """The guild's effective list in the same format as resources/<locale>/topics.yaml."""
    data = {
        "locale": locale,
        "topics": [
            {
                "slug": t.slug,
                "title": t.title,
                "summary": t.summary,
                **({"keywords": list(t.keywords)} if t.keywords else {}),
                "items": [
                    {"id": i.id, "title": i.title, "url": i.url, "kind": i.kind, "description": i.description}
                    for i in t.items
                ],
            }
            for t in topics
        ],
    }
    header = (
        f"# kindred resources for {server.replace(chr(10), ' ')}, exported {now:%Y-%m-%d %H:%M} UTC.\n"
        "# Edit and load it back with /admin resources import: items you delete are hidden,\n"
        "# items you change replace the shipped text, new ids become this lab's own items.\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def item_problems(title: str, url: str, kind: str, description: str) -> list[str]:
    """Everything wrong with a moderator's item, in words (empty when it can be saved)."""
    problems = text_problems(title, field="title", limit=MAX_TITLE)
    reason = url_problem(url.strip())
    if reason is not None:
        problems.append(reason)
    if kind not in ITEM_KINDS:
        problems.append(f"kind must be one of {', '.join(ITEM_KINDS)}")
    problems += text_problems(description, field="description", limit=MAX_DESCRIPTION)
    return problems
