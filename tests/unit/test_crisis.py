"""The crisis directory: coverage, honest data, country resolution, the switch menu, rendering limits."""

from functools import partial
from pathlib import Path

import pytest

from bot.config import RESOURCES_DIR
from bot.crisis import (
    CONTENT_LIMIT,
    ELSEWHERE,
    MAX_LAB_HELPLINES,
    MENU_COUNTRIES,
    CrisisDirectory,
    LabHelpline,
    Resolution,
    digits,
    emergency_text,
    load_directory,
    menu_description,
    menu_label,
    parse_directory,
    render,
    resolve,
    switch_menu,
)
from bot.i18n import Strings, load_strings
from bot.validation import MAX_DESCRIPTION, MAX_TITLE, MAX_URL
from bot.yamlfile import parse_located

CRISIS_FILE = RESOURCES_DIR / "crisis_lines.yaml"


@pytest.fixture(scope="module")
def directory() -> CrisisDirectory:
    loaded, problems = load_directory(CRISIS_FILE)
    assert problems == []
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def strings() -> Strings:
    loaded, problems = load_strings(RESOURCES_DIR)
    assert problems == []
    return loaded


def blob(directory: CrisisDirectory, country: str, *, hidden: bool = False) -> str:
    lines = directory.all_lines_for(country) if hidden else directory.lines_for(country)
    return " ".join(f"{' '.join(line.phones)} {line.text or ''}" for line in lines)


# Every number in shared/CONTENT.md members may see, by country (the 0570 Navi Dial is unconfirmed).
CONTENT_NUMBERS = {
    "US": ["988", "741741"],
    "CA": ["988", "1-800-668-6868", "686868"],
    "GB": ["116 123", "85258", "111"],
    "IE": ["116 123", "50808", "1800 247 247", "51444"],
    "AU": ["13 11 14", "0477 13 11 14"],
    "NZ": ["1737"],
    "DE": ["0800 111 0 111", "0800 111 0 222", "116 123"],
    "FR": ["3114"],
    "NL": ["113", "0800-0113"],
    "CH": ["143", "147"],
    "LI": ["143"],
    "AT": ["142"],
    "ES": ["024"],
    "IT": ["02 2327 2327", "324 011 7252"],
    "SE": ["90101"],
    "JP": ["0120-279-338", "0120-061-338"],
    "KR": ["109"],
    "CN": ["12356", "010-82951332", "800-810-1117", "400-161-9995"],
    "HK": ["18111", "2896 0000", "2389 2222", "2382 0000"],
    "TW": ["1925", "1995", "1980"],
    "SG": ["1767", "9151 1767", "1771", "6669 1771"],
    "IN": ["14416", "1-800-891-4416"],
    "BR": ["188"],
    "IL": ["1201"],
    "AE": ["800 4673"],
    "BE": ["1813", "0800 32 123"],
    "DK": ["70 201 201"],
    "NO": ["116 123", "22 40 00 40"],
    "FI": ["09 2525 0111", "09 2525 0116"],
    "MX": ["800 911 2000"],
}
# Emergency numbers from CONTENT.md ("what 'call your local emergency number' means").
CONTENT_EMERGENCY = {
    "US": ["911"],
    "CA": ["911"],
    "GB": ["999", "112"],
    "IE": ["112", "999"],
    "DE": ["112"],
    "FR": ["112"],
    "NL": ["112"],
    "BE": ["112"],
    "AT": ["112"],
    "ES": ["112"],
    "IT": ["112"],
    "SE": ["112"],
    "DK": ["112"],
    "FI": ["112"],
    "NO": ["112"],
    "CH": ["144", "117", "112"],
    "LI": ["144", "117", "112"],
    "AU": ["000"],
    "NZ": ["111"],
    "JP": ["119", "110"],
    "KR": ["119", "112"],
    "CN": ["120", "110"],
    "HK": ["999"],
    "TW": ["119", "110"],
    "SG": ["995", "999"],
    "IN": ["112"],
    "BR": ["192", "190"],
    "IL": ["101", "100"],
    "AE": ["998", "999"],
    "MX": ["911"],
}


@pytest.mark.parametrize(("country", "numbers"), sorted(CONTENT_NUMBERS.items()))
def test_every_content_line_is_shown(directory: CrisisDirectory, country: str, numbers: list[str]) -> None:
    shown = blob(directory, country)
    for number in numbers:
        assert number in shown, (country, number)


@pytest.mark.parametrize(("country", "numbers"), sorted(CONTENT_EMERGENCY.items()))
def test_every_content_emergency_number(directory: CrisisDirectory, country: str, numbers: list[str]) -> None:
    info = directory.country(country)
    assert info is not None
    assert set(numbers) <= {e.number for e in info.emergency}


def test_coverage_meets_the_issue(directory: CrisisDirectory) -> None:
    assert len(directory.countries()) >= 40
    assert len(directory.shown_lines()) >= 60
    with_lines = {line.country for line in directory.shown_lines()}
    assert {"IL", "AE", "BE", "NO", "FI", "DK", "MX"} <= with_lines


def test_every_line_is_honest_and_sourced(directory: CrisisDirectory) -> None:
    for line in directory.lines:
        assert line.hours.get("en"), line.id
        assert line.cost in {"free", "normal", "paid", "unknown"}, line.id
        assert line.source.startswith(("https://", "http://")), line.id
        assert line.verified, line.id
    for code in directory.countries():
        info = directory.country(code)
        assert info is not None and info.emergency and info.emergency_source and info.emergency_verified


def test_costs_and_hours_follow_content(directory: CrisisDirectory) -> None:
    by_id = {line.id: line for line in directory.lines}
    assert by_id["ch-143"].cost == "paid" and "0.20" in by_id["ch-143"].notes.get("en")
    assert by_id["it-telefono-amico"].cost == "normal"
    assert by_id["it-telefono-amico"].hours.get("en") == "09:00-24:00 daily"
    assert not by_id["cn-12356"].always_open and "mainland" in by_id["cn-12356"].dialling.get("en").lower()
    assert "10:00-22:00" in by_id["jp-yorisoi-hotline"].notes.get("en")
    assert by_id["jp-inochi-no-denwa"].cost == "paid"


def test_unconfirmed_lines_are_never_shown(directory: CrisisDirectory, strings: Strings) -> None:
    hidden = directory.unconfirmed()
    assert [line.id for line in hidden] == ["jp-inochi-no-denwa"]
    assert "0570-783-556" not in blob(directory, "JP")
    assert "0570-783-556" in blob(directory, "JP", hidden=True)
    for lang, locale in (("en", "en-US"), ("zh", "zh-CN")):
        reply = render(directory, partial(strings.t, locale), lang, Resolution("JP", "option"))
        assert "0570-783-556" not in reply.content
        assert "0120-279-338" in reply.content


@pytest.mark.parametrize(
    ("locale", "hints"),
    [
        ("en-US", ("US", "CA")),
        ("en-GB", ("GB", "IE", "AU", "NZ", "IN", "SG", "HK")),
        ("zh-TW", ("TW", "HK")),
        ("zh-CN", ("CN", "HK", "TW", "SG")),
        ("de", ("DE", "AT", "CH", "LI", "LU")),
        ("pt-BR", ("BR", "PT")),
        ("ja", ("JP",)),
        ("ko", ("KR",)),
        ("es-419", ("MX", "ES")),
    ],
)
def test_locale_hints(directory: CrisisDirectory, locale: str, hints: tuple[str, ...]) -> None:
    assert directory.hints(locale) == hints
    assert directory.default_country(locale) == hints[0]


def test_unknown_locale_hints_nothing(directory: CrisisDirectory) -> None:
    assert directory.default_country("tr") is None
    assert directory.default_country(None) is None


def test_resolution_prefers_the_option_then_the_lab_then_the_locale(directory: CrisisDirectory) -> None:
    assert resolve(directory, "Japan", "IE", "en-US") == Resolution("JP", "option")
    assert resolve(directory, "jp", None, None) == Resolution("JP", "option")
    assert resolve(directory, None, "IE", "en-US") == Resolution("IE", "lab")
    assert resolve(directory, "", "IE", "en-US") == Resolution("IE", "lab")
    assert resolve(directory, None, None, "en-US") == Resolution("US", "locale")
    assert resolve(directory, None, "ZZ", "zh-TW") == Resolution(
        "TW", "locale"
    )  # a lab code we no longer ship
    assert resolve(directory, None, None, "tr") == Resolution(None, "none")


def test_an_unknown_option_is_named_not_guessed(directory: CrisisDirectory) -> None:
    assert resolve(directory, "Atlantis", "IE", "en-GB") == Resolution(None, "none", unknown="Atlantis")


@pytest.mark.parametrize("typed", ["GB", "gb", "United Kingdom", "united kingdom", "英国"])
def test_resolve_country(directory: CrisisDirectory, typed: str) -> None:
    assert directory.resolve_country(typed) == "GB"


def test_resolve_unknown_country(directory: CrisisDirectory) -> None:
    assert directory.resolve_country("Atlantis") is None
    assert directory.resolve_country("  ") is None


def test_switch_menu_puts_the_lab_then_the_locale_first(directory: CrisisDirectory) -> None:
    menu = switch_menu(directory, shown="IE", lab_country="IE", discord_locale="en-US")
    assert menu[:3] == ["IE", "US", "CA"]
    assert len(menu) == MENU_COUNTRIES == len(set(menu))
    assert switch_menu(directory, "TW", None, "zh-TW")[:2] == ["TW", "HK"]
    assert switch_menu(directory, "GB", None, "en-GB")[:7] == ["GB", "IE", "AU", "NZ", "IN", "SG", "HK"]
    assert switch_menu(directory, "DE", None, "de")[:4] == ["DE", "AT", "CH", "LI"]
    assert switch_menu(directory, "BR", None, "pt-BR")[:2] == ["BR", "PT"]
    assert switch_menu(directory, "JP", "DE", "zh-CN")[:6] == ["DE", "CN", "HK", "TW", "SG", "JP"]


def test_switch_menu_always_offers_the_shown_country(directory: CrisisDirectory) -> None:
    for code in directory.countries():
        assert code in switch_menu(directory, code, None, "en-GB"), code


def test_switch_menu_fills_with_likely_lab_countries(directory: CrisisDirectory) -> None:
    menu = switch_menu(directory, None, None, None)
    assert menu[:5] == ["US", "GB", "CA", "AU", "DE"]


def test_menu_labels_fit_discord(directory: CrisisDirectory, strings: Strings) -> None:
    for lang, locale in (("en", "en-US"), ("zh", "zh-CN")):
        for code in directory.countries():
            assert 0 < len(menu_label(directory, code, lang)) <= 100
            assert 0 < len(menu_description(partial(strings.t, locale), directory, code)) <= 100
    assert ELSEWHERE not in directory.countries()


def test_emergency_text_names_the_service(directory: CrisisDirectory, strings: Strings) -> None:
    t = partial(strings.t, "en-US")
    assert emergency_text(t, directory.country("GB")) == "**999** or **112**"  # type: ignore[arg-type]
    jp = emergency_text(t, directory.country("JP"))  # type: ignore[arg-type]
    assert jp == "**119** (ambulance, fire) or **110** (police)"
    ch = emergency_text(t, directory.country("CH"))  # type: ignore[arg-type]
    assert ch == "**144** (ambulance), **117** (police) or **112**"


def max_lab_helplines(count: int) -> list[LabHelpline]:
    return [
        LabHelpline(
            "T" * MAX_TITLE,
            "https://example.org/" + "u" * (MAX_URL - 20),
            "D" * MAX_DESCRIPTION,
            "support-" + str(n),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(("lang", "locale"), [("en", "en-GB"), ("zh", "zh-TW")])
@pytest.mark.parametrize("helplines", [0, 1, 3, 4, 7, 12])
def test_every_country_renders_every_lifeline_within_discord_limits(
    directory: CrisisDirectory, strings: Strings, lang: str, locale: str, helplines: int
) -> None:
    t = partial(strings.t, locale)
    lab = max_lab_helplines(helplines)
    for code in [*directory.countries(), None]:
        reply = render(directory, t, lang, Resolution(code, "option" if code else "none"), lab)
        assert reply.within_discord_limits(), (code, lang, helplines)
        assert len(reply.content) <= CONTENT_LIMIT
        for directory_entry in directory.international:
            assert directory_entry.url in reply.content
            assert directory_entry.description.get(lang) in reply.content
        if code is None:
            continue
        info = directory.country(code)
        assert info is not None
        for number in info.emergency:
            assert f"**{number.number}**" in reply.content.split("\n\n")[1], code
        for line in directory.lines_for(code):
            assert line.name in reply.content, (code, line.id)
            for phone in line.phones:
                assert phone in reply.content, (code, phone)
            if line.text:
                assert line.text in reply.content
        if helplines:
            assert reply.lab_body is not None
            assert reply.lab_body.count("https://example.org/") == min(helplines, MAX_LAB_HELPLINES)
            assert ("support-3" in reply.lab_body) == (helplines > MAX_LAB_HELPLINES)
        else:
            assert reply.lab_title is None and reply.lab_body is None


def test_the_emergency_number_leads_the_reply(directory: CrisisDirectory, strings: Strings) -> None:
    reply = render(directory, partial(strings.t, "en-US"), "en", Resolution("IE", "lab"))
    head = reply.content.split("\n\n")
    assert head[0] == "## Crisis lines: Ireland"
    assert head[1] == "### 🚨 In immediate danger, call an emergency number: **112** or **999**"
    assert "open around the clock" in reply.content and "free and confidential" not in reply.content


def test_copy_makes_no_blanket_promises(strings: Strings, directory: CrisisDirectory) -> None:
    for lang, locale in (("en", "en-US"), ("zh", "zh-CN")):
        reply = render(directory, partial(strings.t, locale), lang, Resolution("US", "option"))
        assert "right now" not in reply.content and "These services are free" not in reply.content
    assert "130 countries" in directory.international[0].description.get("en")
    assert "32 countries" in directory.international[1].description.get("en")


def test_a_country_without_lines_still_gives_its_emergency_number(
    directory: CrisisDirectory, strings: Strings
) -> None:
    assert directory.lines_for("GR") == ()
    reply = render(directory, partial(strings.t, "en-US"), "en", Resolution("GR", "option"))
    assert "**112**" in reply.content and "no checked line for Greece" in reply.content


def test_plain_text_without_a_menu_points_to_the_command(
    directory: CrisisDirectory, strings: Strings
) -> None:
    reply = render(directory, partial(strings.t, "en-US"), "en", Resolution(None, "none"), menu=False)
    assert "/crisis country:" in reply.content and "menu" not in reply.content


def test_autocomplete_matches_prefix_in_both_languages(directory: CrisisDirectory) -> None:
    assert ("DE", "Germany (DE)") in directory.match_countries("Ger", "en")
    codes = [code for code, _ in directory.match_countries("日", "zh")]
    assert "JP" in codes
    assert len(directory.match_countries("", "en", limit=100)) == len(directory.countries())


def test_digits_ignores_spacing() -> None:
    assert digits("116 123") == digits("116123") == "116123"
    assert digits("*4141") == "*4141"


# ---------------------------------------------------------------- the loader refuses dishonest data


US_988_SOURCE = (
    "https://health.wyo.gov/publichealth/prevention/wivpp/suicide-prevention/988-suicide-crisis-lifeline"
)


def mutated(old: str, new: str, count: int = 1) -> list[str]:
    text = CRISIS_FILE.read_text(encoding="utf-8")
    assert old in text, old
    _, problems = parse_directory(parse_located(text.replace(old, new, count), "resources/crisis_lines.yaml"))
    return [str(p) for p in problems]


def line_of(text: str) -> int:
    return CRISIS_FILE.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_a_line_without_hours_is_refused() -> None:
    problems = mutated(
        '    hours: "24/7"\n    cost: free\n    languages: [en, es]\n',
        "    cost: free\n    languages: [en, es]\n",
    )
    assert any("needs `hours:`" in p for p in problems), problems


def test_a_line_without_cost_is_refused() -> None:
    problems = mutated(
        '    cost: paid\n    notes:\n      en: "CHF 0.20 a call."', '    notes:\n      en: "CHF 0.20 a call."'
    )
    assert any("needs `cost:`" in p for p in problems), problems


def test_a_line_with_a_blanket_free_cost_word_is_refused() -> None:
    problems = mutated("    cost: free\n", "    cost: gratis\n")
    assert any("needs `cost:`" in p for p in problems), problems


def test_a_line_without_source_is_refused() -> None:
    problems = mutated(f"    source: {US_988_SOURCE}\n", "")
    assert any("needs a `source:`" in p for p in problems), problems


def test_a_line_without_verified_date_is_refused() -> None:
    problems = mutated(
        f'    source: {US_988_SOURCE}\n    verified: "2026-12-01"\n', f"    source: {US_988_SOURCE}\n"
    )
    assert any("verified:" in p for p in problems), problems


def test_a_country_without_an_emergency_number_is_refused() -> None:
    problems = mutated('    emergency: ["112", "999"]\n', "")
    assert any("IE needs its emergency number" in p for p in problems), problems


def test_a_duplicate_number_is_refused() -> None:
    problems = mutated('    phone: "1800 247 247"\n', '    phone: "116123"\n')
    assert any("116123 is listed twice for IE" in p for p in problems), problems


def test_an_unknown_language_is_refused() -> None:
    problems = mutated("    languages: [en, es]\n", "    languages: [en, xx]\n")
    assert any("unknown language 'xx'" in p for p in problems), problems


def test_problems_point_at_the_line(tmp_path: Path) -> None:
    problems = mutated('    phone: "1800 247 247"\n', '    phone: "116123"\n')
    number = line_of('    phone: "1800 247 247"')
    assert any(p.startswith(f"resources/crisis_lines.yaml:{number}:") for p in problems), problems
