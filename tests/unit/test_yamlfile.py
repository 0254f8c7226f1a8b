from pathlib import Path

import pytest

from bot.yamlfile import FAST_MAX_DEPTH, YamlError, _parse_fast, load_located, parse_located


def test_lines_point_at_values() -> None:
    doc = parse_located("a: 1\nlist:\n  - x: 2\n    y: three\n", "f.yaml")
    assert doc.data == {"a": 1, "list": [{"x": 2, "y": "three"}]}
    assert doc.line("a") == 1
    assert doc.line("list", 0, "y") == 4
    assert doc.line("list", 0, "missing") == 3
    assert str(doc.problem(("list", 0, "y"), "bad")) == "f.yaml:4: bad"


def test_syntax_error_has_a_line() -> None:
    with pytest.raises(YamlError) as caught:
        parse_located("a: 1\nb: [unclosed\nc: 2\n", "broken.yaml")
    assert caught.value.problem.file == "broken.yaml"
    assert caught.value.problem.line >= 2


def test_duplicate_keys_are_refused_with_their_line() -> None:
    with pytest.raises(YamlError) as caught:
        parse_located("a: 1\nb: 2\na: 3\n", "dup.yaml")
    assert caught.value.problem.line == 3
    assert "duplicate" in caught.value.problem.message


def test_empty_document() -> None:
    assert parse_located("", "e.yaml").data is None


def test_control_character_is_reported_at_its_line() -> None:
    with pytest.raises(YamlError) as caught:
        parse_located("a: 1\nb: 2\nc: bad\x1fvalue\n", "ctl.yaml")
    assert caught.value.problem.line == 3
    assert "U+001F" in caught.value.problem.message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: &x [1, 2]\nb: *x\n", 1, "anchors and aliases"),
        ("a: 1\nb: *x\n", 2, "anchors and aliases"),
        ("a: !!python/object:os.system {x: 1}\n", 1, "the tag"),
        ("a:\n  - !custom 3\n", 2, "the tag"),
    ],
)
def test_aliases_anchors_and_unknown_tags_are_refused_by_line(text: str, line: int, words: str) -> None:
    """Issue 20: aliases expand exponentially (a 372-byte file took 23 s and 2.4 GiB); tags were dropped."""
    with pytest.raises(YamlError) as caught:
        parse_located(text, "f.yaml")
    assert caught.value.problem.line == line and words in caught.value.problem.message


def test_plain_tags_still_load() -> None:
    assert parse_located("a: !!str 3\nb: [1, 2.5, true, null]\n", "f.yaml").data == {
        "a": "3",
        "b": [1, 2.5, True, None],
    }


def test_nesting_deeper_than_python_can_follow_is_refused_by_line() -> None:
    """Issue 20: a few KiB of `[` raised RecursionError out of the parser (an 'unexpected error')."""
    depth = 20_000
    text = "locale: en\ntopics: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(YamlError) as caught:
        parse_located(text, "import.yaml")
    assert caught.value.problem.line == 2
    assert "nested too deeply" in caught.value.problem.message


# -- the libyaml fast path for shipped files (issue 19: start-up) -------------------------------

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


@pytest.mark.parametrize("path", sorted(RESOURCES.rglob("*.yaml")), ids=lambda p: p.name)
def test_fast_path_gives_exactly_what_the_python_loader_gives(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = _parse_fast(text, "f.yaml")
    assert fast is not None, "a shipped file fell back to the slow loader"
    slow = parse_located(text, "f.yaml")
    assert fast.data == slow.data
    assert fast.lines == slow.lines


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # alias
        "a: &x 1\n",  # anchor alone
        "a: [1, 2\n",  # syntax error
        "a: 1\na: 2\n",  # duplicate key
        "a: !!python/name:os.system x\n",  # unknown tag
        "[" * (FAST_MAX_DEPTH + 1) + "]" * (FAST_MAX_DEPTH + 1),  # deeper than the fast path composes
        "a: \x07\n",  # control character
    ],
)
def test_fast_path_leaves_every_refusal_to_the_python_loader(text: str) -> None:
    assert _parse_fast(text, "f.yaml") is None


def test_load_located_words_problems_as_before(tmp_path: Path) -> None:
    target = tmp_path / "dup.yaml"
    target.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(YamlError) as caught:
        load_located(target, "dup.yaml")
    assert caught.value.problem.line == 3
    assert "duplicate" in caught.value.problem.message
