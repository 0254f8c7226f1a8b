"""Checks shared by shipped content and moderator input: URLs, lengths, control characters, mentions."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ITEM_KINDS = (
    "article",
    "essay",
    "paper",
    "guide",
    "helpline",
    "organisation",
    "tool",
    "video",
    "podcast",
    "book",
    "community",
)
MAX_TITLE = 100
MAX_DESCRIPTION = 200
MAX_SUMMARY = 400
MAX_URL = 500

# Everything Discord would turn into a ping or a link to a person/role, plus @everyone/@here.
_MENTION_RE = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>|<@&\d+>", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"


def is_http_url(value: str) -> bool:
    """True for an absolute http(s) URL with a host and no whitespace."""
    if len(value) > MAX_URL or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def control_characters(value: str, *, allow_newlines: bool = False) -> list[str]:
    """Return the control/format characters in `value` (bidi overrides, NUL, etc.)."""
    found = []
    for ch in value:
        if allow_newlines and ch == "\n":
            continue
        if unicodedata.category(ch) in {"Cc", "Cf"}:
            found.append(f"U+{ord(ch):04X}")
    return found


def has_mass_mention(value: str) -> bool:
    """True if the text contains @everyone, @here, or a user/role/channel mention."""
    return _MENTION_RE.search(value) is not None


def neutralise_mentions(value: str) -> str:
    """Break every mention so it renders as text and can never ping, even if allowed_mentions fails."""
    return _MENTION_RE.sub(
        lambda m: m.group(0).replace("@", "@" + _ZERO_WIDTH_SPACE).replace("<#", "<#" + _ZERO_WIDTH_SPACE),
        value,
    )


def text_problems(value: object, *, field: str, limit: int, allow_newlines: bool = False) -> list[str]:
    """Return human-readable problems with one text field (empty list when fine)."""
    if not isinstance(value, str) or not value.strip():
        return [f"{field} must be non-empty text"]
    problems = []
    if len(value) > limit:
        problems.append(f"{field} is {len(value)} characters; the limit is {limit}")
    bad = control_characters(value, allow_newlines=allow_newlines)
    if bad:
        problems.append(f"{field} contains control characters ({', '.join(bad[:3])})")
    if has_mass_mention(value):
        problems.append(f"{field} must not contain mentions such as @everyone or <@id>")
    return problems
