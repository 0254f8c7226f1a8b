"""Issue 20: text a member relays through kindred cannot pass for kindred or a moderator, nor ping."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.validation import plain_text, relayed_text

MASKED = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")


def test_headings_subtext_and_quotes_are_escaped() -> None:
    shown = relayed_text("# Message from the moderators\n-# kindred staff\n>>> official")
    assert shown.splitlines() == [
        "> \\# Message from the moderators",
        "> \\-# kindred staff",
        "> \\>>> official",
    ]


def test_a_masked_link_shows_where_it_goes() -> None:
    shown = relayed_text("[Samaritans 116 123 (official)](https://evil.example/x)")
    assert "https://evil.example/x" in shown and not MASKED.search(shown)


def test_pipes_cannot_close_a_spoiler_early() -> None:
    shown = relayed_text("fine ||| now visible", spoiler=True)
    assert shown == "> ||fine \\|\\|\\| now visible||"


def test_zero_width_and_bidi_characters_are_dropped() -> None:
    assert plain_text("\u200b\u2066\u202e") == ""
    assert plain_text("ok\u200d\n\u202ehi") == "ok\nhi"


@given(st.text(max_size=300), st.booleans())
def test_arbitrary_text_is_always_quoted_escaped_and_harmless(text: str, spoiler: bool) -> None:
    shown = relayed_text(text, spoiler=spoiler)
    for line in shown.split("\n"):
        assert line.startswith("> ")
        body = line[2:]
        if spoiler and body.strip():
            assert body.startswith("||") and body.endswith("||")
            assert "|" not in body[2:-2].replace("\\|", "")
            body = body[2:-2]
        assert not re.match(r"\s*(#{1,6}\s|-#\s|>)", body)
    assert not MASKED.search(shown)
    assert "@everyone" not in shown and "@here" not in shown
    assert not re.search(r"<@[!&]?\d+>", shown)
    allowed = {"\n", "\u200b"}  # the zero-width space kindred itself inserts to break mentions
    assert all(ch in allowed or unicodedata.category(ch) not in {"Cc", "Cf"} for ch in shown)
