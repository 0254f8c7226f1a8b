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


_MASKED_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]*)>?\s*\)")
_BLOCK_MARK = re.compile(r"^(\s*)(#{1,6}\s|-#\s|>)", re.MULTILINE)


def plain_text(value: str) -> str:
    """Text without control and format characters (zero-width, bidi overrides), newlines kept.

    What is left is what a reader sees, so a body of only U+200B counts as empty.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in value if ch == "\n" or unicodedata.category(ch) not in {"Cc", "Cf"})


def relayed_text(value: str, *, spoiler: bool = False) -> str:
    """Render a member's text so it cannot pass for kindred or a moderator, nor ping anyone.

    Each line is quoted; headings, subtext and quote marks at a line start are escaped; a masked
    link shows its real target; with `spoiler`, each line is hidden and every `|` escaped so the
    spoiler cannot be closed early; mentions are broken.
    """
    text = plain_text(value)
    text = _MASKED_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = text.replace("[", "\\[").replace("]", "\\]")
    text = _BLOCK_MARK.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    if spoiler:
        text = text.replace("|", "\\|")
    lines = [(f"||{line}||" if spoiler and line.strip() else line) for line in text.split("\n")]
    return neutralise_mentions("\n".join(f"> {line}" for line in lines))


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
