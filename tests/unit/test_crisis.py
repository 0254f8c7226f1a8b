"""The crisis directory: every line of CONTENT.md, locale defaults, country matching."""

import pytest

from bot.config import RESOURCES_DIR
from bot.crisis import CrisisDirectory, load_directory


@pytest.fixture(scope="module")
def directory() -> CrisisDirectory:
    loaded, problems = load_directory(RESOURCES_DIR / "crisis_lines.yaml")
    assert problems == []
    assert loaded is not None
    return loaded


# Every number in shared/CONTENT.md's crisis table, by country.
EXPECTED_NUMBERS = {
    "US": ["988", "741741"], "CA": ["988", "1-800-668-6868", "686868"], "GB": ["116 123", "85258"],
    "IE": ["116 123", "50808", "1800 247 247", "51444"], "AU": ["13 11 14", "0477 13 11 14"],
    "NZ": ["1737"], "DE": ["0800 111 0 111", "0800 111 0 222"], "FR": ["3114"],
    "NL": ["113", "0800-0113"], "CH": ["143"], "LI": ["143"], "AT": ["142"], "ES": ["024"],
    "IT": ["02 2327 2327"], "SE": ["90101"], "JP": ["0120-279-338", "0570-783-556"], "KR": ["109"],
    "CN": ["12356", "010-82951332"], "HK": ["18111", "2896 0000", "2389 2222"],
    "TW": ["1925", "1995"], "SG": ["1767", "9151 1767", "1771"], "IN": ["14416", "1-800-891-4416"],
    "BR": ["188"],
}


@pytest.mark.parametrize(("country", "numbers"), sorted(EXPECTED_NUMBERS.items()))
def test_every_content_line_is_present(directory: CrisisDirectory, country: str,
                                       numbers: list[str]) -> None:
    lines = directory.lines_for(country)
    assert lines, country
    blob = " ".join(f"{line.phone or ''} {line.text or ''} {line.notes.get('en')}" for line in lines)
    for number in numbers:
        assert number in blob, (country, number)


@pytest.mark.parametrize(
    ("locale", "country"),
    [("en-US", "US"), ("en-GB", "GB"), ("zh-CN", "CN"), ("zh-TW", "TW"), ("ja", "JP"), ("ko", "KR"),
     ("de", "DE"), ("fr", "FR"), ("es-ES", "ES"), ("pt-BR", "BR"), ("nl", "NL"), ("sv-SE", "SE"),
     ("it", "IT"), ("hi", "IN")],
)
def test_locale_defaults(directory: CrisisDirectory, locale: str, country: str) -> None:
    assert directory.default_country(locale) == country


def test_unknown_locale_has_no_default(directory: CrisisDirectory) -> None:
    assert directory.default_country("es-419") is None
    assert directory.default_country(None) is None


@pytest.mark.parametrize("typed", ["GB", "gb", "United Kingdom", "united kingdom", "英国"])
def test_resolve_country(directory: CrisisDirectory, typed: str) -> None:
    assert directory.resolve_country(typed) == "GB"


def test_resolve_unknown_country(directory: CrisisDirectory) -> None:
    assert directory.resolve_country("Atlantis") is None


def test_autocomplete_matches_prefix_in_both_languages(directory: CrisisDirectory) -> None:
    assert ("DE", "Germany (DE)") in directory.match_countries("Ger", "en")
    codes = [code for code, _ in directory.match_countries("日", "zh")]
    assert "JP" in codes
    assert len(directory.match_countries("", "en")) == len(directory.countries())
