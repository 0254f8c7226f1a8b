"""Issue 20: installs are reproducible: every dependency in pyproject.toml is pinned with hashes in a lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _pins(lock: str) -> dict[str, str]:
    text = (REPO / lock).read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, flags=re.MULTILINE))
    return {name.lower().replace("_", "-").replace(".", "-"): version for name, version in pins.items()}


def test_every_dependency_is_pinned_with_hashes_in_its_lock() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    dev = {_name(r) for r in project["optional-dependencies"]["dev"]}
    assert runtime <= set(_pins("requirements.lock")), "run the uv pip compile command in scripts/_venv.sh"
    assert runtime | dev <= set(_pins("requirements-dev.lock")), (
        "run the uv pip compile command in scripts/_venv.sh"
    )
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (REPO / lock).read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text.split("\n", 2)[2])
        assert all("--hash=sha256:" in block for block in blocks if "==" in block)


def test_the_locks_agree_on_shared_pins() -> None:
    run, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: run[name] for name in run} == {name: dev[name] for name in run}
