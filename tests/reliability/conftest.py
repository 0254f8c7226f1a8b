"""The reliability suite: real `python -m bot` processes against the fake, under faults and hostile input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.reliability.helpers import synced_schema


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `reliability` (select with -m reliability, skip with -m 'not ...')."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="session")
def commands(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """kindred's command schema as `python -m bot sync` publishes it (run once per session)."""
    return synced_schema(tmp_path_factory.mktemp("sync"))
