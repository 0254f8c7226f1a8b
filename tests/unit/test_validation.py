import pytest

from bot.validation import has_mass_mention, is_http_url, neutralise_mentions, text_problems


@pytest.mark.parametrize("url", ["https://988lifeline.org", "http://example.org/a?b=c"])
def test_http_urls_accepted(url: str) -> None:
    assert is_http_url(url)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://x.org", "https://", "example.org", "https://a b.org", ""]
)
def test_other_urls_refused(url: str) -> None:
    assert not is_http_url(url)


@pytest.mark.parametrize("text", ["@everyone hi", "hey @HERE", "<@123>", "<@!123>", "<@&55>"])
def test_mentions_detected_and_neutralised(text: str) -> None:
    assert has_mass_mention(text)
    assert not has_mass_mention(neutralise_mentions(text))


def test_text_problems() -> None:
    assert text_problems("fine", field="title", limit=10) == []
    assert "limit is 3" in text_problems("toolong", field="title", limit=3)[0]
    assert "control characters" in text_problems("a\u202eb", field="title", limit=10)[0]
    assert text_problems("", field="title", limit=10) == ["title must be non-empty text"]
    assert text_problems("line\nbreak", field="d", limit=20, allow_newlines=True) == []
