"""Issue 8: `python -m bot sandbox`, the README walkthrough, and every command family from the sandbox.

Run `python -m tests.e2e.test_sandbox --update-readme` to refresh the README's walkthrough output
after a deliberate change to what kindred says.
"""

from __future__ import annotations

import itertools
import os
import re
import select
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.sandbox.cli import parse_duration, parse_moment
from bot.sandbox.commandline import Catalog, CommandLineError
from bot.sandbox.render import Names, Renderer, Style, markdown
from fakediscord.interactions import Channel, Role

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
WALKTHROUGH = REPO / "docs" / "walkthrough.txt"
SCRIPT_MARK = "<!-- sandbox walkthrough: script"
OUTPUT_MARK = "<!-- sandbox walkthrough: output"


def clean_env() -> dict[str, str]:
    """The developer's Discord/kindred settings must not leak into the sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("NO_COLOR", None)
    return env


def sandbox(*args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "sandbox", *args],
        cwd=REPO,
        env=clean_env(),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def run_script(text: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.txt"
    script.write_text(text, encoding="utf-8")
    return sandbox("--script", str(script), *args)


def fenced_after(text: str, mark: str) -> str:
    """The body of the first fenced block after an HTML-comment marker."""
    start = text.index(mark)
    match = re.compile(r"^```[a-z]*\n(.*?)^```$", re.DOTALL | re.MULTILINE).search(text, start)
    assert match is not None, f"no fenced block after {mark!r}"
    return match.group(1)


# ================================================================================== the README


def test_readme_walkthrough_is_the_checked_in_script() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "## Try it without Discord" in readme
    assert fenced_after(readme, SCRIPT_MARK) == WALKTHROUGH.read_text(encoding="utf-8")


def test_readme_walkthrough_output_matches_the_product() -> None:
    result = sandbox("--script", str(WALKTHROUGH.relative_to(REPO)))
    assert result.returncode == 0, result.stdout + result.stderr
    expected = fenced_after(README.read_text(encoding="utf-8"), OUTPUT_MARK)
    assert result.stdout == expected, (
        "README.md's sandbox walkthrough output no longer matches what kindred prints.\n"
        "If the change is intended, run: .venv/bin/python -m tests.e2e.test_sandbox --update-readme\n"
        + "".join(_diff(expected, result.stdout))
    )


def _diff(expected: str, actual: str) -> list[str]:
    import difflib

    return list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "README", "sandbox"))


def test_missing_token_points_to_the_sandbox(tmp_path: Path) -> None:
    env = clean_env()
    env["KINDRED_DB_PATH"] = str(tmp_path / "k.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "discord.com/developers/applications" in result.stderr
    assert "bash scripts/run sandbox" in result.stderr


# ================================================================================== start-up and modes


def test_starts_and_answers_crisis_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    began = time.perf_counter()
    result = run_script("/crisis country:GB\n", tmp_path)
    seconds = time.perf_counter() - began
    assert result.returncode == 0, result.stderr
    assert "only you can see this" in result.stdout and "Samaritans" in result.stdout
    assert "116 123" in result.stdout and "emergency number" in result.stdout
    with capsys.disabled():
        print(f"\n[sandbox] process start to /crisis answered and exited: {seconds:.2f} s")


def test_interactive_over_a_pipe(tmp_path: Path) -> None:
    typed = "/help\n/checkin\n2\n9\n3\n\n:press 1\n:quit\n"
    result = sandbox(stdin=typed)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Started in" in out and "You are @you, a member, in #general" in out
    assert "kindred: peer support for your lab" in out
    assert ":clock [+7d|+2h|DATE]" in out and "/admin setup" in out  # /help lists everything
    assert "kindred opens a form · Weekly check-in (anonymous)" in out
    assert "“9” is not one of the choices" in out  # asked again, then answered
    assert "Thank you for checking in" in out
    assert "Crisis lines: United States" in out  # the crisis button on the reply, pressed


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_interactive_in_a_terminal_with_tab_completion() -> None:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: the sandbox on a terminal
        os.chdir(REPO)
        argv = [sys.executable, "-m", "bot", "sandbox", "--color", "never"]
        os.execve(sys.executable, argv, {**clean_env(), "TERM": "xterm"})  # noqa: S606 - fixed argv
    seen = b""

    def until(marker: bytes, timeout: float = 30) -> bytes:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while marker not in seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"timed out waiting for {marker!r}; got:\n{seen.decode(errors='replace')}"
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
        found, seen = seen, b""
        return found

    try:
        until(b"member #general> ")
        os.write(fd, b"/cri\t")
        until(b"/crisis ")  # readline completed the command name
        os.write(fd, b"country:GB\r")
        assert b"Samaritans" in until(b"member #general> ")
        os.write(fd, b":as mod\t\r")
        assert b"You are now a moderator" in until(b"moderator #general> ")  # keys only once it prompts
        os.write(fd, b"/admin st\t\r")
        assert b"Database: ok" in until(b"moderator #general> ")
        os.write(fd, b":quit\r")
        status = _reap(pid, 15)
    finally:
        if _reap(pid, 0) is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert status is not None and os.waitstatus_to_exitcode(status) == 0


def _reap(pid: int, timeout: float) -> int | None:
    """The child's wait status once it exits (None if still running after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if done:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def test_db_keeps_data_between_runs_with_a_key_beside_it(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    first = run_script(
        "/subscribe kind:checkin day:friday time:16:00 timezone:Europe/London\n", tmp_path, "--db", str(db)
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert db.exists() and (tmp_path / "sandbox.sqlite3.key").exists()
    again = run_script("/privacy show\n", tmp_path, "--db", str(db))
    assert "check-in in Sandbox Lab: Friday 16:00 (Europe/London)" in again.stdout


def test_script_problems_fail_the_run(tmp_path: Path) -> None:
    result = run_script("/crisis\n/resources search querry:money\n/checkin\n> mood: 2\n", tmp_path)
    assert result.returncode == 1
    assert "Write options as name:value" not in result.stdout  # an unknown name is passed to Discord…
    assert "has no option 'querry'" in result.stdout  # …which refuses it by name
    assert "the form needs “How has your energy been?”" in result.stdout


# ================================================================================== every command family


FULL_TOUR = """\
/help
/crisis
/crisis country:Japan
/resources topics
:choose 1 13
/resources show topic:compute-gap
/resources search query:lonely
/checkin
> mood: 1
> energy: 2
/subscribe kind:checkin day:monday time:09:30
/subscribe kind:prompt day:tuesday time:08:00 timezone:Europe/London
:clock +7d
/unsubscribe kind:prompt
/prompt
/prompt topic:compute-gap
/privacy show
/privacy export
/pulse
/share
/admin status
:as moderator
/admin setup peer_channel:#peer-support prompts_channel:#prompts alerts_channel:#mod-alerts \
moderator_role:@wellbeing timezone:Europe/London k:3 review_mode:true prompt_day:wednesday prompt_time:10:00
/admin prompts add topic:compute-gap text:What would you try if compute were free? Say it out loud.
/admin prompts list
/admin prompts remove prompt_id:lab-1
/admin resources add topic:compute-gap
> Title: Our GPU booking sheet
> Link: https://example.org/gpus
> Kind: tool
> One line: Book the shared GPUs here.
/admin resources edit item:lab-our-gpu-booking-sheet
> Title: Our shared GPU booking sheet
/admin resources history
/admin resources export
:save {export}
/admin resources remove item:compute-gap-nanogpt
/admin resources reset topic:compute-gap
:press 1
/admin resources import file:{export}
:jobs
/admin calendar follow venue:cec
/admin calendar add date:2027-01-10 title:Thesis submission
/admin calendar list
/admin calendar remove date_id:lab-1
/admin calendar unfollow venue:cec
/admin event start kind:bereavement weeks:1 channel:#prompts
/admin event end
/admin status
:as member
/share
> text: Reviewer 2 wants a 70B ablation again. Anyone else drowning in rebuttals?
:clock +15m
:as moderator
:press 1
:clock +3d
/reach start
/reach code
> code: AAAAAAAAAAAAAAAAAAAAAAAA
:in dm
/crisis
/help
:locale zh-CN
/crisis
:locale en-GB
:in #general
/crisis
/privacy delete
:press 1
/privacy show
:quit
"""


def test_every_command_family_from_a_script(tmp_path: Path) -> None:
    tour = FULL_TOUR.replace("\\\n", "").format(export=tmp_path / "export.yaml")
    commands = {
        " ".join(itertools.takewhile(lambda w: ":" not in w, line[1:].split()))
        for line in tour.splitlines()
        if line.startswith("/")
    }
    result = run_script(tour, tmp_path)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    # Every command kindred syncs is in the tour: a new command must be added here.
    synced = {" ".join(leaf.path) for leaf in Catalog(_synced_commands()).leaves()}
    assert synced <= commands, f"not in the tour: {sorted(synced - commands)}"
    for expected in (
        "Crisis lines: United States",
        "Crisis lines: Japan",
        "Choose a topic",
        "The compute gap",
        "kindred opens a form · Weekly check-in (anonymous)",
        "hard week",
        "every Monday at 09:30",
        "DM from kindred",
        "weekly check-in nudge",
        "What kindred holds about you",
        "kindred-my-data.json",
        "Discord hides /admin from you",
        "Anonymous sharing isn't set up here yet",
        "This lab hasn't set up /reach yet",
        "That code doesn't open any conversation",
        "Saved. Here is how kindred is set up now",
        "Moderator role: @wellbeing",
        "Weekly lab prompt: Wednesday at 10:00 (Europe/London)",
        "lab-1",
        "Added Our GPU booking sheet to The compute gap",
        "One line on why it helps › Book the shared",
        "kindred-resources-",
        "Saved kindred-resources-",
        "#mod-alerts · kindred",
        "Anonymous share waiting for review",
        "#peer-support · kindred",
        "#prompts · kindred",
        "kindred started a thread",
        "this lab's weekly prompt: next run",
        "危机热线",
        "Crisis lines: United Kingdom",
        "record(s) linked to you were deleted",
    ):
        assert expected in out, f"{expected!r} missing from the sandbox tour:\n{out}"


def _synced_commands() -> list[dict[str, object]]:
    """The command schema kindred publishes (the same tree the sandbox syncs)."""
    import asyncio

    from bot.sandbox.session import Sandbox, SandboxOptions

    async def fetch() -> list[dict[str, object]]:
        async with Sandbox(SandboxOptions(reproducible=True)) as running:
            return running.fake.commands()

    return asyncio.run(fetch())


# ================================================================================== pieces


class _Lab:
    def channel_named(self, name: str) -> int | None:
        return {"general": 1, "prompts": 2}.get(name.lstrip("#"))

    def role_named(self, name: str) -> int | None:
        return {"wellbeing": 7}.get(name.lstrip("@"))

    def user_named(self, name: str) -> int | None:
        return None


SCHEMA = [
    {
        "name": "subscribe",
        "type": 1,
        "description": "Weekly DMs",
        "options": [
            {
                "name": "kind",
                "type": 3,
                "required": True,
                "choices": [
                    {"name": "check-in", "value": "checkin"},
                    {"name": "reflection prompt", "value": "prompt"},
                ],
            },
            {"name": "day", "type": 3, "required": True},
            {"name": "time", "type": 3, "required": True},
        ],
    },
    {
        "name": "admin",
        "type": 1,
        "description": "",
        "options": [
            {
                "name": "setup",
                "type": 1,
                "description": "Settings",
                "options": [
                    {"name": "prompts_channel", "type": 7},
                    {"name": "moderator_role", "type": 8},
                    {"name": "k", "type": 4},
                    {"name": "review_mode", "type": 5},
                ],
            },
            {
                "name": "prompts",
                "type": 2,
                "description": "",
                "options": [
                    {
                        "name": "add",
                        "type": 1,
                        "description": "",
                        "options": [
                            {"name": "topic", "type": 3, "required": True},
                            {"name": "text", "type": 3, "required": True},
                        ],
                    }
                ],
            },
        ],
    },
]


def test_command_lines_parse_like_discord() -> None:
    catalog = Catalog(SCHEMA)
    parsed = catalog.parse("/subscribe kind:check-in day:monday time:09:30", _Lab())
    assert parsed.name == "subscribe" and parsed.options == {
        "kind": "checkin",
        "day": "monday",
        "time": "09:30",
    }
    parsed = catalog.parse(
        "/admin prompts add topic:compute-gap text:What's one thing: free compute?", _Lab()
    )
    assert parsed.path == ("admin", "prompts", "add")
    assert parsed.options["text"] == "What's one thing: free compute?"
    parsed = catalog.parse(
        '/admin setup prompts_channel:#prompts moderator_role:@wellbeing k:"4" review_mode:yes', _Lab()
    )
    assert parsed.options == {
        "prompts_channel": Channel(2),
        "moderator_role": Role(7),
        "k": 4,
        "review_mode": True,
    }
    for bad, says in (
        ("/nope", "no command /nope"),
        ("/admin", "needs one of: setup, prompts"),
        ("/admin setup k:many", "needs a whole number"),
        ("/admin setup prompts_channel:#nowhere", "no channel #nowhere"),
        ("/subscribe monday", "Write options as name:value"),
    ):
        with pytest.raises(CommandLineError, match=says):
            catalog.parse(bad, _Lab())


def test_completion_of_commands_subcommands_and_options() -> None:
    catalog = Catalog(SCHEMA)

    def names(_: int) -> list[str]:
        return ["general", "prompts"]

    assert catalog.complete("/su", names) == ["/subscribe "]
    assert catalog.complete("/admin pr", names) == ["prompts "]
    assert catalog.complete("/admin setup prompts_channel:#p", names) == ["prompts_channel:#prompts "]
    assert "kind:" in catalog.complete("/subscribe ", names)
    assert catalog.complete("/subscribe kind:c", names) == ["kind:checkin "]


def test_markdown_and_controls_render_readably() -> None:
    names = Names(users={5: "pi"}, channels={2: "prompts"}, roles={7: "wellbeing"})
    lines = markdown(
        "## Title\n**Bold** [link](https://x.org) <#2> <@5> <@&7> \\*not bold\\*\n-# small", names, Style()
    )
    assert lines == ["Title", "Bold link https://x.org #prompts @pi @wellbeing *not bold*", "small"]
    renderer = Renderer(names)
    body = renderer.message_body(
        {
            "id": "9",
            "content": "hi",
            "components": [
                {
                    "type": 1,
                    "components": [
                        {
                            "type": 2,
                            "style": 4,
                            "label": "Crisis lines",
                            "custom_id": "kindred:crisis",
                            "emoji": {"name": "🆘"},
                        },
                        {
                            "type": 3,
                            "custom_id": "t",
                            "placeholder": "Pick",
                            "options": [{"label": "A", "value": "a"}],
                        },
                    ],
                }
            ],
        }
    )
    assert body == ["  hi", "  [1] 🆘 Crisis lines (button)", "  [2] Pick (menu: choose 1)", "        1. A"]
    assert [c.custom_id for c in renderer.controls] == ["kindred:crisis", "t"]


def test_clock_arguments() -> None:
    assert parse_duration("+7d") == timedelta(days=7)
    assert parse_duration("1w2h30m") == timedelta(weeks=1, hours=2, minutes=30)
    assert parse_duration("tomorrow") is None
    assert parse_moment("2026-11-23T09:00Z") == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert parse_moment("2026-11-23 09:00") == datetime(2026, 11, 23, 9, tzinfo=UTC)


# ================================================================================== README refresh


def _replace_block(text: str, mark: str, body: str) -> str:
    start = text.index("```text\n", text.index(mark)) + len("```text\n")
    end = text.index("\n```", start - 1) + 1  # the closing fence (the body ends with a newline)
    return text[:start] + body + text[end:]


def _update_readme() -> int:
    result = sandbox("--script", str(WALKTHROUGH.relative_to(REPO)))
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        return 1
    readme = _replace_block(
        README.read_text(encoding="utf-8"), SCRIPT_MARK, WALKTHROUGH.read_text(encoding="utf-8")
    )
    README.write_text(_replace_block(readme, OUTPUT_MARK, result.stdout), encoding="utf-8")
    print("README.md: sandbox walkthrough refreshed")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--update-readme"]:
        sys.exit(_update_readme())
    sys.exit("usage: python -m tests.e2e.test_sandbox --update-readme")
