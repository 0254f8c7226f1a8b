"""The layout DESIGN.md promises, checked with the standard library's ast (no imports of the code).

- cogs -> bot, never bot -> cogs (the app loads cogs by name, as strings);
- bot/store knows nothing of discord.py; the pure modules know neither discord.py nor the
  database, not even through the kindred modules they import;
- a cog imports of kindred only bot.* and the private cogs._* modules, never a sibling cog;
- fakediscord imports neither bot nor cogs (nor tests);
- nothing imports the entry script bot/__main__.py;
- the packages, and the modules (at run time), import each other without a circle;
- every string key the code names exists in every language;
- without fakediscord (the wheel, the Docker image) the CLI still works and the sandbox says why not.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import RESOURCES_DIR
from bot.content import LOCALES
from bot.i18n import load_strings

REPO = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("bot", "cogs", "fakediscord", "tests", "benchmarks", "scripts")
#: What the pure modules may not reach, directly or through the kindred modules they import.
IMPURE = ("discord", "aiohttp", "aiosqlite", "sqlite3", "apscheduler", "bot.store", "bot.app")
#: The modules the code base treats as pure: tested with injected clocks, no discord.py, no database.
PURE = (
    "bot.aggregation",
    "bot.anonymity",
    "bot.calendar",
    "bot.chart",
    "bot.config",
    "bot.content",
    "bot.crisis",
    "bot.errors",
    "bot.hant",
    "bot.heartbeat",
    "bot.i18n",
    "bot.pacing",
    "bot.prompts",
    "bot.resource_edits",
    "bot.schedule",
    "bot.screening",
    "bot.secret",
    "bot.shards",
    "bot.validation",
    "bot.yamlfile",
)


@dataclass(frozen=True)
class Import:
    """One import statement's target, resolved to an absolute dotted name."""

    importer: str
    target: str
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files(*packages: str) -> Iterator[Path]:
    for package in packages:
        yield from sorted((REPO / package).rglob("*.py"))


def imports_of(path: Path) -> list[Import]:
    """Every import in the file (also inside functions and TYPE_CHECKING blocks), made absolute."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append(Import(name, module, node.lineno))
            # `from cogs import admin` imports the module cogs.admin
            found += [Import(name, f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def all_imports(*packages: str) -> list[Import]:
    return [imp for path in python_files(*packages) for imp in imports_of(path)]


def is_under(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def existing_module(target: str) -> str | None:
    """The first-party module a dotted name refers to (a name imported from it counts as the module)."""
    parts = target.split(".")
    while parts:
        base = REPO.joinpath(*parts)
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return None


def test_the_import_scanner_sees_what_it_should() -> None:
    """Guard against a vacuous pass: the scanner finds known edges of the code base."""
    edges = {(i.importer, i.target) for i in all_imports("bot", "cogs")}
    assert ("cogs.admin", "bot.app") in edges
    assert ("bot.sandbox.session", "fakediscord.fake_discord") in edges
    assert ("cogs.admin", "cogs._resource_admin") in edges  # `from cogs import _resource_admin`
    assert len(list(python_files("bot", "cogs", "fakediscord"))) > 50


def test_bot_never_imports_cogs() -> None:
    wrong = [i for i in all_imports("bot") if is_under(i.target, "cogs")]
    assert wrong == []


def test_the_store_knows_nothing_of_discord() -> None:
    wrong = [
        i for i in all_imports("bot/store") if any(is_under(i.target, m) for m in ("discord", "aiohttp"))
    ]
    assert wrong == []


def _reach(module: str, graph: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        for target in graph.get(current, set()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_pure_modules_know_neither_discord_nor_the_database() -> None:
    graph: dict[str, set[str]] = {}
    for imp in all_imports("bot"):
        graph.setdefault(imp.importer, set()).add(imp.target)
        resolved = existing_module(imp.target)
        if resolved is not None:
            graph[imp.importer].add(resolved)
    pure = sorted({m for m in graph if any(is_under(m, p) for p in PURE)})
    assert "bot.schedule" in pure and "bot.screening.engine" in pure
    wrong = {
        module: sorted(t for t in _reach(module, graph) if any(is_under(t, bad) for bad in IMPURE))
        for module in pure
    }
    assert {m: bad for m, bad in wrong.items() if bad} == {}


def test_cogs_import_only_bot_and_private_cogs() -> None:
    wrong = []
    for imp in all_imports("cogs"):
        top = imp.target.split(".")[0]
        if top not in FIRST_PARTY:
            continue  # the standard library and third-party packages
        allowed = top == "bot" or imp.target == "cogs" or re.fullmatch(r"cogs\._\w+(\..+)?", imp.target)
        resolved = existing_module(imp.target) or imp.target
        if not allowed and not re.fullmatch(r"cogs(\._\w+)?", resolved):
            wrong.append(imp)
    assert wrong == []


def test_fakediscord_imports_neither_bot_nor_cogs() -> None:
    wrong = [
        i
        for i in all_imports("fakediscord")
        if any(is_under(i.target, p) for p in ("bot", "cogs", "tests", "benchmarks"))
    ]
    assert wrong == []


def test_nothing_imports_the_entry_script() -> None:
    # `from bot import __main__` is recorded as bot.__main__ too (see imports_of)
    wrong = [i for i in all_imports(*FIRST_PARTY) if is_under(i.target, "bot.__main__")]
    assert wrong == []


def test_packages_import_each_other_without_a_circle() -> None:
    graph: dict[str, set[str]] = {}
    for imp in all_imports(*FIRST_PARTY):
        source, target = imp.importer.split(".")[0], imp.target.split(".")[0]
        if target in FIRST_PARTY and target != source:
            graph.setdefault(source, set()).add(target)
    circles = [package for package in graph if package in _reach(package, graph)]
    assert circles == [], graph
    assert graph["cogs"] == {"bot"}
    assert "fakediscord" not in graph  # it imports no other first-party package


def _runtime_imports(path: Path) -> list[str]:
    """First-party modules a file imports when it runs (`if TYPE_CHECKING:` blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
        for statement in node.body
        for child in ast.walk(statement)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found += [m for m in (existing_module(n) for n in names) if m is not None]
    return found


def test_no_module_imports_itself_in_a_circle() -> None:
    graph: dict[str, set[str]] = {}
    for path in python_files("bot", "cogs", "fakediscord"):
        name = module_name(path)
        # a package's own __init__ is not an edge: importing bot.x runs bot/__init__.py first anyway
        graph[name] = {m for m in _runtime_imports(path) if m != name and not name.startswith(m + ".")}
    assert "bot.sandbox.session" in graph and "bot.startup" in graph["bot.sandbox.session"]
    circles = sorted(module for module in graph if module in _reach(module, graph))
    assert circles == []


def _string_keys() -> tuple[set[str], set[str]]:
    """Keys the code names (constants) and the key prefixes of f-strings."""
    strings, problems = load_strings(RESOURCES_DIR)
    assert problems == []
    english = strings.keys("en")
    areas = {key.split(".")[0] for key in english}
    shape = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
    file_name = re.compile(r".+\.(png|yaml|json|txt|py|sqlite3|otf)")  # e.g. "pulse.png", not a key
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in python_files("bot", "cogs"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstrings = {
            id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
        }
        for node in ast.walk(tree):
            if id(node) in in_fstrings:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                if shape.fullmatch(value) and value.split(".")[0] in areas and not file_name.fullmatch(value):
                    keys.add(value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if (
                    isinstance(head, ast.Constant)
                    and isinstance(head.value, str)
                    and re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z0-9_.]*", head.value)
                    and head.value.split(".")[0] in areas
                ):
                    prefixes.add(head.value)
    return keys, prefixes


def test_every_string_key_in_the_code_exists_in_every_language() -> None:
    keys, prefixes = _string_keys()
    assert {"errors.not_yours", "subscribe.bad_day", "admin.job_dispatch"} <= keys
    assert {"days.d", "subscribe.kind_"} <= prefixes
    strings, _ = load_strings(RESOURCES_DIR)
    for lang in LOCALES:
        table = strings.keys(lang)
        assert sorted(keys - table) == [], lang
        assert sorted(p for p in prefixes if not any(k.startswith(p) for k in table)) == [], lang


def _run_without_fakediscord(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as in the Docker image, where fakediscord/ is not copied."""
    code = (
        "import runpy, sys; sys.modules['fakediscord'] = None; "
        f"sys.argv = ['bot', *{list(args)!r}]; runpy.run_module('bot', run_name='__main__', alter_sys=True)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("args", [("--help",), ("sandbox", "--help")])
def test_the_cli_works_without_fakediscord(args: tuple[str, ...]) -> None:
    done = _run_without_fakediscord(*args)
    assert done.returncode == 0, done.stderr
    assert ("rotate-key" if args == ("--help",) else "source checkout") in done.stdout


def test_the_sandbox_without_fakediscord_says_why_and_exits_2() -> None:
    done = _run_without_fakediscord("sandbox", "--script", "-")
    assert done.returncode == 2
    assert "fakediscord" in done.stderr and "Traceback" not in done.stderr
