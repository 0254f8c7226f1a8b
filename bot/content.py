"""Default resource packs and reflection prompts: loading and validation of resources/<locale>/."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.hant import Traditionaliser, load_traditionaliser
from bot.validation import (
    ITEM_KINDS,
    MAX_DESCRIPTION,
    MAX_SUMMARY,
    MAX_TITLE,
    SLUG_RE,
    is_http_url,
    text_problems,
)
from bot.yamlfile import Key, Located, Problem, YamlError, load_located

SOURCE_LOCALES = ("en", "zh")  # folders under resources/ written by hand
TRADITIONAL = "zh-TW"  # made from resources/zh/ with OpenCC when the content loads (bot.hant)
LOCALES = (*SOURCE_LOCALES, TRADITIONAL)
DEFAULT_LOCALE = "en"
MAX_PROMPT = 300
MIN_ITEMS_PER_TOPIC = 4
# Hosts that only ever appear in placeholders or on the machine itself, never in a shipped link.
_PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net", "localhost")
_HOST_RE = re.compile(
    r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$"
)


@dataclass(frozen=True)
class ResourceItem:
    """One resource a lab member can open: an article, a helpline, a community."""

    id: str
    topic: str
    title: str
    url: str
    kind: str
    description: str


@dataclass(frozen=True)
class Topic:
    """A stressor topic with its curated items."""

    slug: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    items: tuple[ResourceItem, ...]


@dataclass(frozen=True)
class Prompt:
    """A reflection prompt tied to a stressor topic."""

    id: str
    topic: str
    text: str


@dataclass(frozen=True)
class Pack:
    """Everything shipped for one locale."""

    locale: str
    topics: tuple[Topic, ...]
    prompts: tuple[Prompt, ...]

    def topic(self, slug: str) -> Topic | None:
        """Return the topic with this slug, if any."""
        return next((t for t in self.topics if t.slug == slug), None)

    def item(self, item_id: str) -> ResourceItem | None:
        """Return the default item with this id, if any."""
        return next((i for t in self.topics for i in t.items if i.id == item_id), None)


@dataclass(frozen=True)
class Library:
    """The default packs for every locale, with English as fallback."""

    packs: Mapping[str, Pack]

    def pack(self, locale: str) -> Pack:
        """Return the pack for `locale`, falling back to English."""
        return self.packs.get(locale) or self.packs[DEFAULT_LOCALE]

    def fingerprint(self) -> str:
        """A hash of all default content, to know when the search index must be rebuilt."""
        blob = json.dumps(
            {
                loc: [
                    [
                        t.slug,
                        t.title,
                        t.summary,
                        list(t.keywords),
                        [[i.id, i.title, i.url, i.kind, i.description] for i in t.items],
                    ]
                    for t in p.topics
                ]
                for loc, p in sorted(self.packs.items())
            },
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode()).hexdigest()


class ContentError(Exception):
    """Shipped content is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep the problems; the message lists them."""
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _text(doc: Located, key: Key, value: object, field: str, limit: int, out: list[Problem]) -> str:
    for message in text_problems(value, field=field, limit=limit):
        out.append(doc.problem(key, message))
    return value if isinstance(value, str) else ""


def url_shape_problem(url: str) -> str | None:
    """Why a shipped link cannot be a live page (no real host, a placeholder, an address), else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or parts.port not in (None, 80, 443):
        return "a shipped link has no user, password or unusual port"
    if any(host == h or host.endswith("." + h) for h in _PLACEHOLDER_HOSTS):
        return f"{host!r} is a placeholder, not a real site"
    if not _HOST_RE.match(host):
        return f"{host!r} is not a public host name"
    if host == "doi.org" and not parts.path.startswith("/10."):
        return "a DOI link must look like https://doi.org/10.xxxx/..."
    return None


def _parse_items(
    doc: Located,
    key: Key,
    slug: str,
    raw: object,
    seen: set[str],
    out: list[Problem],
    min_items: int,
    *,
    shipped: bool = False,
) -> tuple[ResourceItem, ...]:
    if raw is None and min_items == 0:
        return ()
    if not isinstance(raw, list) or len(raw) < min_items:
        out.append(doc.problem(key, f"topic {slug!r} needs at least {min_items} items"))
    if not isinstance(raw, list):
        return ()
    items = []
    for n, entry in enumerate(raw):
        ikey = (*key, n)
        if not isinstance(entry, dict):
            out.append(doc.problem(ikey, "each item must be a mapping"))
            continue
        item_id = entry.get("id")
        if not isinstance(item_id, str) or not SLUG_RE.match(item_id):
            out.append(doc.problem((*ikey, "id"), "item id must be lowercase-kebab-case"))
            item_id = ""
        elif item_id in seen:
            out.append(doc.problem((*ikey, "id"), f"duplicate item id {item_id!r}"))
        seen.add(item_id)
        url = entry.get("url")
        if not isinstance(url, str) or not is_http_url(url):
            out.append(doc.problem((*ikey, "url"), f"url must be an http(s) link, not {url!r}"))
        elif shipped and (shape := url_shape_problem(url)):
            out.append(doc.problem((*ikey, "url"), f"dead link {url!r}: {shape}"))
        kind = entry.get("kind")
        if kind not in ITEM_KINDS:
            out.append(doc.problem((*ikey, "kind"), f"kind must be one of {', '.join(ITEM_KINDS)}"))
        items.append(
            ResourceItem(
                id=item_id,
                topic=slug,
                title=_text(doc, (*ikey, "title"), entry.get("title"), "title", MAX_TITLE, out),
                url=url if isinstance(url, str) else "",
                kind=kind if isinstance(kind, str) else "",
                description=_text(
                    doc, (*ikey, "description"), entry.get("description"), "description", MAX_DESCRIPTION, out
                ),
            )
        )
    return tuple(items)


def parse_topics(
    doc: Located,
    locale: str | None,
    out: list[Problem],
    *,
    min_items: int = MIN_ITEMS_PER_TOPIC,
    shipped: bool = False,
) -> tuple[Topic, ...]:
    """Validate a topics.yaml document into Topics, appending problems to `out`.

    `locale` None accepts any shipped locale (for imports); `min_items` is 0 for lab lists;
    `shipped` also refuses links whose shape cannot be a live page (placeholders, bare hosts).
    """
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        out.append(doc.problem((), "expected a mapping with a `topics:` list"))
        return ()
    allowed = LOCALES if locale is None else (locale,)
    if data.get("locale") not in allowed:
        out.append(doc.problem(("locale",), f"locale must be {locale or ' or '.join(LOCALES)!r}"))
    topics: list[Topic] = []
    seen_items: set[str] = set()
    seen_slugs: set[str] = set()
    for n, raw in enumerate(data["topics"]):
        key: Key = ("topics", n)
        if not isinstance(raw, dict):
            out.append(doc.problem(key, "each topic must be a mapping"))
            continue
        slug = raw.get("slug")
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            out.append(doc.problem((*key, "slug"), "slug must be lowercase-kebab-case"))
            continue
        if slug in seen_slugs:
            out.append(doc.problem((*key, "slug"), f"duplicate topic {slug!r}"))
        seen_slugs.add(slug)
        keywords = raw.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            out.append(doc.problem((*key, "keywords"), "keywords must be a list of words"))
            keywords = []
        topics.append(
            Topic(
                slug=slug,
                title=_text(doc, (*key, "title"), raw.get("title"), "title", MAX_TITLE, out),
                summary=_text(doc, (*key, "summary"), raw.get("summary"), "summary", MAX_SUMMARY, out),
                keywords=tuple(keywords),
                items=_parse_items(
                    doc, (*key, "items"), slug, raw.get("items"), seen_items, out, min_items, shipped=shipped
                ),
            )
        )
    return tuple(topics)


def parse_prompts(doc: Located, locale: str, slugs: Iterable[str], out: list[Problem]) -> tuple[Prompt, ...]:
    """Validate a prompts.yaml document into Prompts, appending problems to `out`."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("prompts"), list):
        out.append(doc.problem((), "expected a mapping with a `prompts:` list"))
        return ()
    if data.get("locale") != locale:
        out.append(doc.problem(("locale",), f"locale must be {locale!r}"))
    known = set(slugs)
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["prompts"]):
        key: Key = ("prompts", n)
        if not isinstance(raw, dict):
            out.append(doc.problem(key, "each prompt must be a mapping"))
            continue
        pid, topic = raw.get("id"), raw.get("topic")
        if not isinstance(pid, str) or not SLUG_RE.match(pid):
            out.append(doc.problem((*key, "id"), "prompt id must be lowercase-kebab-case"))
            continue
        if pid in seen:
            out.append(doc.problem((*key, "id"), f"duplicate prompt id {pid!r}"))
        seen.add(pid)
        if topic not in known:
            out.append(doc.problem((*key, "topic"), f"unknown topic {topic!r}"))
        text = _text(doc, (*key, "text"), raw.get("text"), "text", MAX_PROMPT, out)
        prompts.append(Prompt(pid, str(topic), text))
    return tuple(prompts)


def _load(path: Path, root: Path, out: list[Problem]) -> Located | None:
    try:
        return load_located(path, str(path.relative_to(root.parent)))
    except YamlError as exc:
        out.append(exc.problem)
        return None


def load_library(resources_dir: Path) -> tuple[Library, list[Problem]]:
    """Load every locale's topics and prompts; return what loaded and every problem found."""
    problems: list[Problem] = []
    packs: dict[str, Pack] = {}
    for locale in SOURCE_LOCALES:
        folder = resources_dir / locale
        topics_doc = _load(folder / "topics.yaml", resources_dir, problems)
        topics = parse_topics(topics_doc, locale, problems, shipped=True) if topics_doc else ()
        prompts_doc = (
            _load(folder / "prompts.yaml", resources_dir, problems)
            if (folder / "prompts.yaml").exists()
            else None
        )
        prompts = (
            parse_prompts(prompts_doc, locale, [t.slug for t in topics], problems) if (prompts_doc) else ()
        )
        packs[locale] = Pack(locale, topics, prompts)
    traditionalise, override_problems = load_traditionaliser(resources_dir)
    problems += override_problems
    packs[TRADITIONAL] = traditional_pack(packs["zh"], traditionalise)
    reference = [t.slug for t in packs[DEFAULT_LOCALE].topics]
    for locale in SOURCE_LOCALES:  # zh-TW is made from zh, so it has zh's slugs by construction
        if locale != DEFAULT_LOCALE and [t.slug for t in packs[locale].topics] != reference:
            problems.append(
                Problem(
                    f"resources/{locale}/topics.yaml",
                    1,
                    "topic slugs must match resources/en/topics.yaml, in the same order",
                )
            )
    return Library(packs), problems


def traditional_pack(pack: Pack, convert: Traditionaliser) -> Pack:
    """The zh-TW pack: the Simplified pack's text in Traditional Chinese, same slugs, ids and links."""
    topics = tuple(
        Topic(
            t.slug,
            convert(t.title),
            convert(t.summary),
            tuple(convert(k) for k in t.keywords),
            tuple(
                ResourceItem(i.id, i.topic, convert(i.title), i.url, i.kind, convert(i.description))
                for i in t.items
            ),
        )
        for t in pack.topics
    )
    prompts = tuple(Prompt(p.id, p.topic, convert(p.text)) for p in pack.prompts)
    return Pack(TRADITIONAL, topics, prompts)


def require_library(resources_dir: Path) -> Library:
    """Load the packs or raise ContentError listing every problem."""
    library, problems = load_library(resources_dir)
    if problems:
        raise ContentError(problems)
    return library


def as_dict(item: ResourceItem) -> dict[str, Any]:
    """Plain-data view of an item (for export and history)."""
    return {
        "id": item.id,
        "topic": item.topic,
        "title": item.title,
        "url": item.url,
        "kind": item.kind,
        "description": item.description,
    }
