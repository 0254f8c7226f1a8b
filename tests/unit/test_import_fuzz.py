"""Fuzzing the resource-list import: never a crash, errors point at the right line, nothing half-applied."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import RESOURCES_DIR
from bot.content import Library, require_library
from bot.resource_edits import Change, OverlayRow, export_yaml, item_problems, plan_import
from bot.store import Database
from bot.store import overlay as overlay_store
from bot.store.resources import sync_default_index

LIBRARY: Library = require_library(RESOURCES_DIR)
NOW = datetime(2026, 11, 23, tzinfo=UTC)
EXPORT = export_yaml(LIBRARY.pack("en").topics, "en", "Lab", NOW)
LINES = EXPORT.splitlines()
FIELDS = {"title": "Title", "url": "https://ok.example", "kind": "guide", "description": "fine"}
BAD_VALUES = {
    "url": ["javascript:alert(1)", "ftp://example.org/x", "no scheme", "https://"],
    "title": ["x" * 101, "@everyone look", "a\u202eb", "<@123456789012345678>"],
    "description": ["y" * 201, "@here", "tab\tnot allowed"],
    "kind": ["rumour", "", "ARTICLE"],
}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_a_plan_or_problems_never_a_crash(text: str) -> None:
    plan, problems = plan_import(text, LIBRARY, [], [])
    assert (plan is None) == bool(problems)
    assert all(p.file == "import.yaml" and p.line >= 1 for p in problems)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=20,
    )
)
def test_any_yaml_shape_is_handled(data: object) -> None:
    plan, problems = plan_import(yaml.safe_dump(data), LIBRARY, [], [])
    assert (plan is None) == bool(problems)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_bad_value_is_reported_at_its_own_line(data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(sorted(BAD_VALUES)))
    candidates = [
        n for n, line in enumerate(LINES) if line.lstrip().startswith(f"{field}:") and line.startswith("    ")
    ]
    number = data.draw(st.sampled_from(candidates))
    bad = data.draw(st.sampled_from(BAD_VALUES[field]))
    indent = LINES[number][: len(LINES[number]) - len(LINES[number].lstrip())]
    lines = list(LINES)
    lines[number] = f"{indent}{field}: {yaml.safe_dump(bad, allow_unicode=True).splitlines()[0]}"
    if lines[number].endswith(": ''") and bad:  # keep the YAML valid for the check
        return
    plan, problems = plan_import("\n".join(lines) + "\n", LIBRARY, [], [])
    assert plan is None
    assert number + 1 in [p.line for p in problems], (field, bad, problems)


def test_unchanged_export_plans_nothing() -> None:
    plan, problems = plan_import(EXPORT, LIBRARY, [], [])
    assert problems == [] and plan is not None and plan.is_empty


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=600), st.text(max_size=30), st.text(max_size=300))
def test_item_validator_never_crashes(title: str, url: str, kind: str, description: str) -> None:
    assert isinstance(item_problems(title, url, kind, description), list)


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, vs in BAD_VALUES.items() for v in vs])
def test_item_validator_refuses_bad_values(field: str, value: str) -> None:
    assert item_problems(**{**FIELDS, field: value}) != []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fail_at=st.integers(min_value=0, max_value=5))
async def test_a_failure_mid_change_leaves_nothing_half_written(
    tmp_path: Path, fail_at: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / f"k{fail_at}.sqlite3"
    path.unlink(missing_ok=True)
    db = Database(path)
    await sync_default_index(db, LIBRARY)
    topic = LIBRARY.pack("en").topics[0]
    rows = {i.id: OverlayRow(i.id, topic.slug, "hidden") for i in topic.items}
    calls = 0

    class Boom(Exception):
        pass

    async with db.transaction() as conn:
        conn_obj = conn
    real_execute = conn_obj.execute

    def counting(sql: str, params: Any = ()) -> object:
        nonlocal calls
        if sql.lstrip().startswith(("INSERT", "DELETE")):
            calls += 1
            if calls > fail_at:
                raise Boom
        return real_execute(sql, params)

    monkeypatch.setattr(conn_obj, "execute", counting)
    with pytest.raises(Boom):
        await overlay_store.apply_change(db, 1, Change(rows), action="import", actor_id=7, now=NOW)
    monkeypatch.undo()
    assert await overlay_store.overlay_rows(db, 1) == []
    assert (await overlay_store.history(db, 1))[1] == 0
    await db.close()
