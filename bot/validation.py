"""Checks shared by shipped content and moderator input: URLs, lengths, control characters, mentions."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

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


def _scripts(label: str) -> set[str]:
    """The Unicode scripts of the letters in one host label (LATIN, CYRILLIC, GREEK, CJK, ...)."""
    return {unicodedata.name(ch, "UNKNOWN").split()[0] for ch in label if ch.isalpha()}


def url_problem(value: str) -> str | None:
    """Why `value` cannot be a link kindred shows, in words; None when it can.

    Only absolute http(s) URLs with a host; no user info (`https://samaritans.org@evil.example`
    shows one site and opens another); no host label mixing scripts (a Cyrillic "а" inside a Latin
    name); no spaces or control characters.
    """
    if len(value) > MAX_URL or any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
        return "the link must contain no spaces or control characters"
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return "the link is not a valid address"
    if parts.scheme not in {"http", "https"} or not host:
        return "the link must start with http:// or https:// and name a site"
    if "@" in parts.netloc:
        return "the link must not contain a user name or '@' before the site name"
    if any(len(_scripts(label)) > 1 for label in host.split(".")):
        return "the site name mixes alphabets (for example Latin and Cyrillic), as lookalike addresses do"
    return None


def is_http_url(value: str) -> bool:
    """True for an absolute http(s) URL kindred may show (see `url_problem`)."""
    return url_problem(value) is None


def link_target(url: str) -> str:
    """The URL as a markdown link target that shows what it really is and cannot end early.

    An international site name becomes punycode; characters that would close the link are
    percent-encoded.
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    host = parts.hostname or ""
    if not host.isascii():
        try:
            netloc = netloc.lower().replace(host, host.encode("idna").decode("ascii"))
        except UnicodeError:
            netloc = quote(netloc, safe=":@")
    rest = (
        parts.path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )
    rest = "".join(f"%{ord(ch):02X}" if ch in "()[]<>` " else ch for ch in rest)
    return f"{parts.scheme}://{netloc}{rest}"


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
