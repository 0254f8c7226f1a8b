"""Issue 20: a moderator's link shows where it really goes and cannot break the markdown around it."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.validation import link_target, url_problem


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://samaritans.org@evil.example/", "user name"),
        ("https://user:pw@example.org/", "user name"),
        ("https://sаmaritans.org/", "mixes alphabets"),  # a Cyrillic а
        ("javascript:alert(1)", "http"),
        ("ftp://example.org/", "http"),
        ("https://exa mple.org/", "spaces"),
        ("https://example.org/\u202etxt", "control"),
        ("http://example.org:99999/", "not a valid address"),
    ],
)
def test_tricky_links_are_refused_with_a_reason(url: str, words: str) -> None:
    problem = url_problem(url)
    assert problem is not None and words in problem


def test_ordinary_and_international_links_are_accepted() -> None:
    assert url_problem("https://www.samaritans.org/how-we-can-help/contact-samaritan/") is None
    assert url_problem("https://münchen.de/hilfe") is None
    assert link_target("https://münchen.de/hilfe") == "https://xn--mnchen-3ya.de/hilfe"


def test_characters_that_would_end_a_markdown_link_are_encoded() -> None:
    assert (
        link_target("https://example.org/a_(b)[c]<d> e") == "https://example.org/a_%28b%29%5Bc%5D%3Cd%3E%20e"
    )


SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # lone surrogates cannot be encoded in a URL at all


@given(st.text(alphabet=st.characters(blacklist_categories=SURROGATES), max_size=60))
def test_a_link_target_never_closes_the_link(path: str) -> None:
    url = "https://example.org/" + path
    if url_problem(url) is None:
        target = link_target(url)
        assert not re.search(r"[()\[\]<>` ]", target)
        assert target.startswith("https://example.org/")
