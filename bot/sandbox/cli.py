"""`python -m bot sandbox`: try kindred in a terminal, with no Discord account, token or internet.

The real bot runs against a simulated lab server (:mod:`bot.sandbox.session`) on an event loop
in a background thread; this module is the front: a prompt (readline, tab completion) or a
script, typed command lines (:mod:`bot.sandbox.commandline`), and replies rendered as text
(:mod:`bot.sandbox.render`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import mimetypes
import os
import re
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar

from bot.sandbox.commandline import Catalog, CommandLineError
from bot.sandbox.render import (
    Control,
    ModalField,
    Names,
    Renderer,
    Style,
    choice_values,
    describe,
    markdown,
    modal_fields,
    text_attachment,
)
from bot.sandbox.session import (
    GUILD_NAME,
    MODERATOR_ROLE,
    PERSONAS,
    Change,
    Persona,
    Reply,
    Sandbox,
    SandboxOptions,
)
from fakediscord.interactions import (
    Attachment,
    Channel,
    InvocationError,
    InvocationRejectedError,
    OptionType,
    OptionValue,
    Role,
    User,
)
from fakediscord.models import JSON

T = TypeVar("T")

#: Scripts start here unless --clock says otherwise, so their output is the same on every run.
SCRIPT_CLOCK = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning
LOCALES = ("en-US", "en-GB", "zh-CN", "zh-TW", "de", "fr", "es-ES", "ja", "ko", "hi", "pt-BR")
_DURATION = re.compile(r"(\d+)\s*([wdhm])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_REJECTIONS = (
    (
        "default_member_permissions",
        "Discord hides /{command} from you: it needs the Manage Server "
        "permission. Type :as moderator to try it as a moderator.",
    ),
    ("not available in", "Discord doesn't offer /{command} here. Type :in #general to go back to the lab."),
    ("shares no guild", "You share no server with kindred, so Discord won't open a DM."),
)


# ================================================================================== arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The sandbox's options (the `sandbox` subcommand of `python -m bot`)."""
    parser.add_argument(
        "--script",
        metavar="FILE",
        help="run the commands in FILE (one a line, '-' for stdin), print the replies, exit",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="keep the sandbox's data in this SQLite file (default: a throwaway one)",
    )
    parser.add_argument(
        "--as",
        dest="persona",
        choices=PERSONAS,
        default="member",
        help="start as a member (default) or a moderator with Manage Server",
    )
    parser.add_argument("--locale", default="en-US", help="your Discord language, e.g. en-GB or zh-CN")
    parser.add_argument(
        "--clock",
        type=parse_moment,
        metavar="WHEN",
        help="kindred's clock at start, e.g. 2026-11-23T09:00Z "
        "(default: now; with --script: 2026-11-23T09:00Z)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (auto: on a terminal, unless NO_COLOR is set)",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="kindred's log on stderr (default: WARNING)",
    )


def parse_moment(text: str) -> datetime:
    """An ISO date-time; UTC unless it says otherwise (`2026-11-23T09:00Z`, `2026-11-23 09:00`)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time: {text!r} (try 2026-11-23T09:00Z)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_duration(text: str) -> timedelta | None:
    """`+7d`, `+2h30m`, `1w`: a step forward; None if it is not a duration."""
    spec = text.strip().removeprefix("+").replace(" ", "").lower()
    parts = _DURATION.findall(spec)
    if not parts or "".join(n + u for n, u in parts) != spec:
        return None
    amounts: dict[str, float] = {}
    for number, unit in parts:
        amounts[_UNITS[unit]] = amounts.get(_UNITS[unit], 0) + int(number)
    return timedelta(**amounts)


def when(moment: datetime) -> str:
    """`Monday 30 November 2026, 09:30 UTC`."""
    moment = moment.astimezone(UTC)
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M} UTC"


def run(args: argparse.Namespace) -> int:
    """Entry point of `python -m bot sandbox`; returns the exit code."""
    from bot.startup import setup_logging

    setup_logging(args.log_level)
    with contextlib.suppress(AttributeError, ValueError):  # emoji on a console that can't show them
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    scripted = args.script is not None
    lines: list[str] | None = None
    if scripted:
        try:
            source_text = sys.stdin.read() if args.script == "-" else Path(args.script).read_text("utf-8")
        except OSError as exc:
            print(f"kindred sandbox: cannot read {args.script}: {exc.strerror}", file=sys.stderr)
            return 2
        lines = source_text.splitlines()
    color = args.color == "always" or (
        args.color == "auto" and not scripted and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    options = SandboxOptions(
        db_path=args.db,
        persona=args.persona,
        locale=args.locale,
        clock_start=args.clock or (SCRIPT_CLOCK if scripted else None),
        reproducible=scripted,
        log_level=args.log_level,
    )
    loop = LoopThread()
    sandbox = Sandbox(options)
    try:
        try:
            loop.call(sandbox.start())
        except Exception as exc:
            print(f"kindred sandbox: could not start: {exc}", file=sys.stderr)
            return 1
        source: LineSource = ScriptSource(lines) if lines is not None else TerminalSource()
        code = Repl(sandbox, loop, source, Style(color), sys.stdout).run()
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # the reader went away (`… | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    finally:
        with contextlib.suppress(BaseException):
            loop.call(sandbox.close(), timeout=30)
        loop.stop()
    return code


def _answered_field(fields: list[ModalField], line: str) -> tuple[ModalField, str] | None:
    """Which field a `name: value` answer is for: by id, label, start of the label, or number."""
    folded = line.casefold()
    for form_field in fields:
        for name in dict.fromkeys((form_field.key, form_field.name, form_field.label)):
            if folded.startswith(name.casefold() + ":"):
                return form_field, line[len(name) + 1 :].strip()
    name, colon, value = line.partition(":")
    wanted = name.strip().casefold()
    if not colon or not wanted:
        return None
    if wanted.isdigit() and 1 <= int(wanted) <= len(fields):
        return fields[int(wanted) - 1], value.strip()
    matches = [f for f in fields if f.label.casefold().startswith(wanted)]
    matches = matches or [f for f in fields if wanted in f.label.casefold()]
    return (matches[0], value.strip()) if len(matches) == 1 else None


def _default(form_field: ModalField) -> Any:
    """What Discord submits for a field left as the bot prefilled it."""
    if isinstance(form_field.default, tuple):
        return list(form_field.default)
    return form_field.default


# ================================================================================== the loop thread


class LoopThread:
    """An asyncio loop in a daemon thread, so the terminal (readline, Ctrl-C) keeps the main thread."""

    def __init__(self) -> None:
        """Start the loop."""
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="kindred-sandbox-loop", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run a coroutine on the loop and wait for it; Ctrl-C cancels it."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except KeyboardInterrupt:
            future.cancel()
            raise

    def stop(self) -> None:
        """Cancel what is left, stop the loop, join the thread."""

        async def cancel_rest() -> None:
            me = asyncio.current_task()
            rest = [t for t in asyncio.all_tasks() if t is not me]
            for task in rest:
                task.cancel()
            await asyncio.gather(*rest, return_exceptions=True)

        with contextlib.suppress(Exception):
            self.call(cancel_rest(), timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        if not self._thread.is_alive():
            self.loop.close()


# ================================================================================== where lines come from


class LineSource(Protocol):
    """Commands (and form answers) typed at a prompt or read from a script."""

    interactive: bool
    echo: bool

    def read(self, prompt: str) -> str | None:
        """The next command line; None at the end."""

    def answers(self) -> list[str] | None:
        """Scripted form answers (`> field: value` lines after the command), or None to ask."""

    def ask(self, prompt: str) -> str | None:
        """One answer typed at a prompt (interactive sources); None at the end."""


class ScriptSource:
    """Lines of a script: commands, `#` comments, blank lines, and `> field: value` form answers."""

    interactive = False
    echo = True

    def __init__(self, lines: list[str]) -> None:
        """Read from these lines."""
        self._lines = lines
        self._position = 0

    def read(self, prompt: str) -> str | None:
        """The next command (comments and blank lines skipped)."""
        while self._position < len(self._lines):
            line = self._lines[self._position].strip()
            self._position += 1
            if line and not line.startswith("#"):
                return line
        return None

    def answers(self) -> list[str]:
        """The `>` lines right after the current command."""
        found: list[str] = []
        while self._position < len(self._lines) and self._lines[self._position].lstrip().startswith(">"):
            found.append(self._lines[self._position].lstrip()[1:].strip())
            self._position += 1
        return found

    def ask(self, prompt: str) -> str | None:
        """Scripts answer with `>` lines instead."""
        return None


class TerminalSource:
    """A person at a prompt: readline (history, tab completion) on a terminal, plain lines from a pipe."""

    interactive = True

    def __init__(self, stream: TextIO | None = None) -> None:
        """Read from stdin unless given another stream."""
        self._stream = stream or sys.stdin
        self.echo = not self._stream.isatty()
        self.completer: Callable[[str], list[str]] | None = None
        self._candidates: list[str] = []
        if not self.echo:
            self._setup_readline()

    def _setup_readline(self) -> None:
        try:
            import readline
        except ImportError:  # pragma: no cover - Windows without pyreadline
            return
        readline.set_completer_delims(" \t\n")
        readline.set_completer(self._complete)
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")

    def _complete(self, text: str, state: int) -> str | None:
        if state == 0:
            import readline

            before = readline.get_line_buffer()[: readline.get_endidx()]
            try:
                self._candidates = self.completer(before) if self.completer else []
            except Exception:  # completion must never break the prompt
                self._candidates = []
        return self._candidates[state] if state < len(self._candidates) else None

    def read(self, prompt: str) -> str | None:
        """A line typed at the prompt; None on Ctrl-D."""
        return self.ask(prompt)

    def answers(self) -> None:
        """Forms are asked field by field."""
        return None

    def ask(self, prompt: str) -> str | None:
        """One line."""
        if self.echo:
            line = self._stream.readline()
            if not line:
                return None
            print(prompt + line.rstrip("\n"), flush=True)
            return line.rstrip("\n")
        try:
            return input(prompt)
        except EOFError:
            print()
            return None


# ================================================================================== the REPL


@dataclass
class Repl:
    """Reads commands, runs them in the sandbox, prints what kindred did."""

    sandbox: Sandbox
    loop: LoopThread
    source: LineSource
    style: Style
    out: TextIO
    errors: int = 0
    controls: list[Control] = field(default_factory=list)
    files: list[JSON] = field(default_factory=list)
    _catalog: Catalog | None = None

    # ------------------------------------------------------------------------------ plumbing

    @property
    def catalog(self) -> Catalog:
        """The commands kindred synced."""
        if self._catalog is None:
            self._catalog = Catalog(self.sandbox.fake.commands())
        return self._catalog

    def say(self, text: str = "") -> None:
        """Print a line."""
        print(text, file=self.out, flush=True)

    def problem(self, text: str, *, counts: bool = True) -> None:
        """Print a problem; in scripts, it fails the run."""
        if counts and not self.source.interactive:
            self.errors += 1
        self.say(self.style.warn(text))

    def prompt(self) -> str:
        """`member #general> `."""
        where = "dm" if self.sandbox.channel_id is None else "#" + self._channel_name(self.sandbox.channel_id)
        return f"{self.sandbox.persona} {where}> "

    def _channel_name(self, channel_id: int) -> str:
        return self.sandbox.fake.state.channel(channel_id).name

    def names(self) -> Names:
        """Names for the ids in Discord markup."""
        state = self.sandbox.fake.state
        guild = state.guild(self.sandbox.lab.guild_id)
        return Names(
            users={u.id: u.name for u in state.users.values()},
            channels={c.id: c.name for c in state.channels.values() if not c.is_dm},
            roles={r.id: ("everyone" if r.id == guild.id else r.name) for r in guild.roles.values()},
        )

    def _read_attachment(self, attachment: JSON) -> str | None:
        upload = self.sandbox.fake.state.files.get(int(attachment.get("id", 0)))
        if upload is None:
            return None
        return text_attachment(str(attachment.get("filename", "")), upload.content_type, upload.data)

    def renderer(self) -> Renderer:
        """A renderer that numbers controls from 1 for one batch of output."""
        return Renderer(self.names(), self.style, self._read_attachment)

    # ------------------------------------------------------------------------------ main loop

    def run(self) -> int:
        """Until :quit or the end of input; returns the exit code."""
        if isinstance(self.source, TerminalSource):
            self.source.completer = self.complete
        if self.source.interactive:
            self.banner()
        first = True
        while True:
            try:
                line = self.source.read(self.prompt())
            except KeyboardInterrupt:
                self.say("^C (type :quit or press Ctrl-D to leave)")
                continue
            if line is None:
                break
            line = line.strip()
            if not line:
                continue
            if self.source.echo and not self.source.interactive:
                if not first:
                    self.say()
                self.say(self.style.dim(self.prompt()) + line)
            first = False
            try:
                if not self.execute(line):
                    break
            except KeyboardInterrupt:
                self.say(self.style.warn("(interrupted)"))
            if self.source.interactive:
                self.say()
        if not self.source.interactive:
            for found in self.sandbox.problems():
                self.problem(found)
            stray = self.source.answers()
            if stray:
                self.problem("script: form answers (> lines) with no form open")
        return 1 if self.errors else 0

    def banner(self) -> None:
        """What this is, who you are, how to get going."""
        sandbox = self.sandbox
        db = (
            f"data kept in {sandbox.options.db_path}"
            if sandbox.options.db_path
            else "a throwaway database, deleted when you leave"
        )
        channels = " ".join("#" + n for n in sandbox.text_channels())
        self.say(
            self.style.bold("kindred sandbox") + f": the real bot and a simulated lab server, "
            f"“{GUILD_NAME}”; no Discord account or internet needed."
        )
        self.say(f"Started in {sandbox.startup_seconds:.1f} s with {db}.")
        self.say(f"You are @you, a {sandbox.persona}, in #general. Channels: {channels}.")
        self.say(f"kindred's clock: {when(sandbox.clock())} (it moves only with :clock).")
        self.say("Type /help or :help. Tab completes commands. :quit or Ctrl-D leaves.")

    def execute(self, line: str) -> bool:
        """Run one line; False to stop."""
        if line.startswith(":"):
            return self.sandbox_command(line[1:].strip())
        if line.startswith(">"):
            self.problem("a form answer (> …) with no form open")
            return True
        if not line.startswith("/"):
            self.problem("Commands start with / (kindred's, e.g. /help) or : (the sandbox's, e.g. :help).")
            return True
        self.slash(line)
        return True

    # ------------------------------------------------------------------------------ slash commands

    def slash(self, line: str) -> None:
        """Parse, invoke, show the reply (and fill in a form if one opens)."""
        try:
            parsed = self.catalog.parse(line, self.sandbox, self._attach)
        except CommandLineError as exc:
            self.problem(str(exc))
            return
        reply = self.attempt(lambda: self.sandbox.invoke(parsed.name, parsed.options), parsed.path[0])
        if reply is not None:
            self.show(reply)
            if parsed.path == ("help",):
                self.say()
                self.sandbox_help()

    @staticmethod
    def _attach(path: str) -> OptionValue:
        """A local file for an attachment option, as Discord's client would upload it."""
        file = Path(path).expanduser()
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandLineError(f"cannot attach {path}: {exc.strerror or exc}") from None
        guessed = mimetypes.guess_type(file.name)[0]
        if guessed is None and file.suffix.lower() in {".yaml", ".yml"}:
            guessed = "application/yaml"
        return Attachment(file.name, data, guessed or "application/octet-stream")

    def attempt(self, action: Callable[[], Coroutine[Any, Any, Reply]], command: str) -> Reply | None:
        """Run an action; explain Discord's refusals."""
        try:
            return self.loop.call(action())
        except InvocationRejectedError as exc:
            message = str(exc)
            for marker, text in _REJECTIONS:
                if marker in message:
                    self.problem(text.format(command=command), counts=False)
                    return None
            self.problem(f"Discord refused: {message}", counts=False)
        except InvocationError as exc:
            self.problem(f"Discord won't send that: {exc}")
        return None

    # ------------------------------------------------------------------------------ showing replies

    def show(self, reply: Reply) -> None:
        """Print what kindred did, then fill in any form it opened."""
        self.show_changes(reply.changes)
        if reply.problem:
            self.problem(reply.problem)
        if reply.modal is not None and reply.handle is not None:
            self.fill_in(reply)

    def show_changes(self, changes: list[Change], indent: str = "") -> None:
        """Render a batch; its controls become what :press and :choose refer to."""
        renderer = self.renderer()
        for change in changes:
            for text in self.render_change(change, renderer):
                self.say(indent + text if text else text)
            if change.message and change.kind != "deleted":
                self.files += change.message.get("attachments") or []
        if renderer.controls:
            self.controls = renderer.controls

    def render_change(self, change: Change, renderer: Renderer) -> list[str]:
        """Header line plus body."""
        state = self.sandbox.fake.state
        if change.kind == "thread":
            thread = state.channel(change.channel_id)
            parent = state.channel(thread.parent_id) if thread.parent_id else None
            where = f"#{parent.name}" if parent else "the lab"
            return [self.style.accent(f"{where}: kindred started a thread “{thread.name}”")]
        message = change.message or {}
        header = self.style.accent(self.header(message))
        if change.kind == "deleted":
            return [self.style.dim(f"({self.header(message)}: message deleted)")]
        if change.kind == "edited":
            header += self.style.dim(" · updated")
        return [header, *renderer.message_body(message)]

    def header(self, message: JSON) -> str:
        """Who sees a message and where it is."""
        state = self.sandbox.fake.state
        channel = state.channel(int(message["channel_id"]))
        if self.sandbox.is_ephemeral(message):
            return "kindred · only you can see this"
        if channel.is_dm:
            if channel.recipient_id == self.sandbox.lab.you_id:
                return "DM from kindred"
            return f"DM from kindred to @{state.user(channel.recipient_id or 0).name}"
        if channel.is_thread and channel.parent_id:
            return f"#{state.channel(channel.parent_id).name} › {channel.name} · kindred"
        return f"#{channel.name} · kindred"

    # ------------------------------------------------------------------------------ forms

    def fill_in(self, reply: Reply) -> None:
        """Show a modal, collect answers (script lines or prompts), submit it."""
        modal = reply.modal or {}
        texts, fields = modal_fields(modal)
        self.say(self.style.accent(f"kindred opens a form · {modal.get('title', '')}"))
        for text in texts:
            for line in markdown(text, self.names(), self.style):
                self.say("  " + line)
        scripted = self.source.answers()
        values = (
            self._scripted_answers(fields, scripted) if scripted is not None else self._asked_answers(fields)
        )
        if values is None:
            return
        assert reply.handle is not None  # noqa: S101 - a modal always comes with its handle
        handle = reply.handle
        submitted = self.attempt(lambda: self.sandbox.submit(handle, values), "form")
        if submitted is not None:
            self.show(submitted)

    def _scripted_answers(self, fields: list[ModalField], lines: list[str]) -> dict[str, Any] | None:
        given: dict[str, str] = {}
        for line in lines:
            match = _answered_field(fields, line)
            if match is None:
                names = ", ".join(f.name for f in fields)
                self.problem(f"script: “{line}” answers no field of this form (fields: {names})")
                return None
            given[match[0].key] = match[1]
        values: dict[str, Any] = {}
        for form_field in fields:
            answer = given.get(form_field.key)
            try:
                if answer is None and form_field.default is not None:
                    values[form_field.key] = _default(form_field)
                elif answer:
                    values[form_field.key] = self._value(form_field, answer)
                elif form_field.required:
                    self.problem(
                        f"script: the form needs “{form_field.label}”; add a line "
                        f"`> {form_field.name}: …` after the command"
                    )
                    return None
                else:
                    continue
            except ValueError as exc:
                self.problem(f"script: {exc}")
                return None
            self.say(f"  {form_field.label} › {self._shown(form_field, values[form_field.key])}")
        return values

    def _asked_answers(self, fields: list[ModalField]) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        for form_field in fields:
            self.say(f"  {self.style.bold(form_field.label)} {self.style.dim(self._how(form_field))}")
            for index, (_, label) in enumerate(form_field.options, start=1):
                self.say(f"      {index}. {label}")
            if form_field.default is not None:
                shown = self._shown(form_field, _default(form_field))
                self.say(self.style.dim(f"      (Enter keeps: {shown})"))
            while True:
                try:
                    answer = self.source.ask("  › ")
                except KeyboardInterrupt:
                    answer = ":cancel"
                if answer is None or answer.strip() == ":cancel":
                    self.say(self.style.dim("(form closed without sending)"))
                    return None
                answer = answer.strip()
                if not answer and form_field.default is not None:
                    values[form_field.key] = _default(form_field)
                    break
                if not answer and form_field.required:
                    self.say(self.style.warn("  This one is required (or :cancel to close the form)."))
                    continue
                if not answer:
                    break
                try:
                    values[form_field.key] = self._value(form_field, answer)
                    break
                except ValueError as exc:
                    self.say(self.style.warn(f"  {exc}"))
        return values

    @staticmethod
    def _how(form_field: ModalField) -> str:
        need = "" if form_field.required else "optional; Enter skips"
        if form_field.kind == "text":
            kind = "several lines: type \\n for a new line" if form_field.paragraph else "text"
            return f"({', '.join(p for p in (kind, f'up to {form_field.max_length}', need) if p)})"
        if form_field.kind == "checkbox":
            return "(yes or no)"
        if form_field.max_values > 1:
            how = f"choose up to {form_field.max_values}, by number or name, separated by commas"
        else:
            how = "choose 1, by number or name"
        return f"({', '.join(p for p in (how, need) if p)})"

    def _value(self, form_field: ModalField, answer: str) -> Any:
        if form_field.kind == "text":
            text = answer.replace("\\n", "\n")
            if len(text) > form_field.max_length:
                raise ValueError(f"“{form_field.label}” takes up to {form_field.max_length} characters")
            return text
        if form_field.kind == "checkbox":
            return answer.casefold() in {"yes", "y", "true", "1", "on", "x"}
        if form_field.kind == "entity":
            return [self._entity(part.strip()) for part in answer.split(",") if part.strip()]
        chosen = choice_values(form_field, answer)
        if not form_field.min_values <= len(chosen) <= form_field.max_values:
            raise ValueError(
                f"“{form_field.label}” takes {form_field.min_values} to {form_field.max_values} choices"
            )
        return chosen

    def _entity(self, name: str) -> Channel | Role | User:
        if name.startswith("#") and (channel := self.sandbox.channel_named(name)) is not None:
            return Channel(channel)
        if (role := self.sandbox.role_named(name)) is not None:
            return Role(role)
        if (user := self.sandbox.user_named(name)) is not None:
            return User(user)
        raise ValueError(f"there is no channel, role or member called {name}")

    @staticmethod
    def _shown(form_field: ModalField, value: Any) -> str:
        if isinstance(value, list) and form_field.options:
            labels = dict(form_field.options)
            return ", ".join(labels.get(str(v), str(v)) for v in value) or "(none)"
        if isinstance(value, str):
            return value.replace("\n", " ⏎ ")
        return describe(value)

    # ------------------------------------------------------------------------------ sandbox commands

    def sandbox_command(self, text: str) -> bool:
        """`:press 1`, `:clock +7d`, …; False to stop."""
        name, _, argument = text.partition(" ")
        argument = argument.strip()
        handlers: dict[str, Callable[[str], None]] = {
            "help": lambda _: self.sandbox_help(),
            "press": self.press,
            "choose": self.choose,
            "as": self.become,
            "in": self.move,
            "locale": self.relocale,
            "clock": self.clock,
            "jobs": lambda _: self.jobs(),
            "save": self.save,
        }
        if name in ("quit", "exit", "q"):
            return False
        handler = handlers.get(name)
        if handler is None:
            self.problem(f"No sandbox command :{name}. Type :help for the list.")
        else:
            handler(argument)
        return True

    def sandbox_help(self) -> None:
        """Every command kindred has here, and the sandbox's own."""
        say = self.say
        say(self.style.bold("In the sandbox you can type kindred's commands as in Discord:"))
        width = 44
        for leaf in self.catalog.leaves():
            usage = leaf.usage()
            if len(usage) > width:
                say(f"  {usage}")
                say(f"  {'':{width}}  {self.style.dim(leaf.description)}")
            else:
                say(f"  {usage:{width}}  {self.style.dim(leaf.description)}")
        say("  Values run to the next option (quotes allowed); channels are #name, roles @name.")
        say(self.style.bold("and the sandbox's own:"))
        for usage, what in (
            (":press N", "press button N of the last reply (numbers are shown as [N])"),
            (":choose N A [B …]", "choose options A, B … (numbers or names) in menu N"),
            (":as member|moderator", f"who you are (a moderator has @{MODERATOR_ROLE}, with Manage Server)"),
            (":in #channel | :in dm", "where your commands run"),
            (":locale CODE", "your Discord language, e.g. zh-CN or en-GB"),
            (":clock [+7d|+2h|DATE]", "show kindred's clock, or move it on: scheduled DMs and posts arrive"),
            (":jobs", "what kindred has scheduled, and when it runs next"),
            (":save PATH", "save the last file kindred sent (e.g. an export) to PATH"),
            (":quit", "leave (Ctrl-D too)"),
        ):
            say(f"  {usage:{width}}  {self.style.dim(what)}")
        say("  Forms ask field by field; in a --script, answer on the lines after the command: > mood: 2")

    def _control(self, reference: str, kinds: tuple[str, ...]) -> Control | None:
        if not self.controls:
            self.problem("Nothing to press: the last reply had no buttons or menus.")
            return None
        found = None
        if reference.isdigit():
            found = next((c for c in self.controls if c.number == int(reference)), None)
        else:
            matches = [c for c in self.controls if c.label.casefold() == reference.casefold()]
            matches = matches or [c for c in self.controls if reference.casefold() in c.label.casefold()]
            found = matches[0] if len(matches) == 1 else None
        if found is None or found.kind not in kinds:
            shown = ", ".join(f"[{c.number}] {c.label}" for c in self.controls if c.kind in kinds)
            what = "button" if "button" in kinds else "menu"
            there = f"; there is {shown}." if shown else "."
            self.problem(f"No {what} “{reference}” in the last reply{there}")
            return None
        return found

    def press(self, argument: str) -> None:
        """Press a numbered button."""
        control = self._control(argument, ("button", "link"))
        if control is None:
            return
        if control.kind == "link":
            self.say(f"That button opens {control.url} in a browser.")
            return
        reply = self.attempt(lambda: self.sandbox.press(control.message_id, control.custom_id), "button")
        if reply is not None:
            self.show(reply)

    def choose(self, argument: str) -> None:
        """Choose options in a numbered menu."""
        menu_ref, _, picks = argument.partition(" ")
        control = self._control(menu_ref, ("select",))
        if control is None:
            return
        if not picks.strip():
            self.problem(f"Say which options, e.g. :choose {control.number} 1")
            return
        form_field = ModalField(
            control.custom_id,
            control.label,
            "select",
            True,
            control.options,
            control.min_values,
            control.max_values,
        )
        try:
            values = choice_values(form_field, picks)
        except ValueError as exc:
            self.problem(str(exc))
            return
        reply = self.attempt(
            lambda: self.sandbox.choose(control.message_id, control.custom_id, values), "menu"
        )
        if reply is not None:
            self.show(reply)

    def become(self, argument: str) -> None:
        """`:as moderator`."""
        persona = argument.casefold()
        if persona not in PERSONAS:
            self.problem("Try :as member or :as moderator.")
            return
        chosen: Persona = "moderator" if persona == "moderator" else "member"
        self.loop.call(self._async(lambda: self.sandbox.set_persona(chosen)))
        roles = f"@{MODERATOR_ROLE} (Manage Server)" if chosen == "moderator" else "no roles"
        self.say(self.style.dim(f"You are now a {chosen}: {roles}."))

    def move(self, argument: str) -> None:
        """`:in #peer-support` or `:in dm`."""
        if argument.casefold() in {"dm", "dms", "direct"}:
            self.sandbox.channel_id = None
            self.say(self.style.dim("Your commands now run in your DM with kindred."))
            return
        channel = self.sandbox.channel_named(argument)
        if channel is None:
            names = " ".join("#" + n for n in self.sandbox.text_channels())
            self.problem(f"No channel {argument}; there is {names}, or dm.")
            return
        self.sandbox.channel_id = channel
        self.say(self.style.dim(f"Your commands now run in #{self._channel_name(channel)}."))

    def relocale(self, argument: str) -> None:
        """`:locale zh-CN`."""
        if not argument:
            self.say(f"Your Discord language: {self.sandbox.locale}")
            return
        self.sandbox.set_locale(argument)
        self.say(self.style.dim(f"Your Discord language is now {argument}."))

    def clock(self, argument: str) -> None:
        """Show kindred's clock or move it forward, showing what fell due on the way."""
        now = self.sandbox.clock()
        if not argument:
            self.say(f"kindred's clock: {when(now)}. Move it on with :clock +7d (or +2h, or a date).")
            return
        step = parse_duration(argument)
        try:
            target = now + step if step is not None else parse_moment(argument)
        except argparse.ArgumentTypeError:
            self.problem(f"“{argument}” is neither a step (+7d, +2h30m) nor a date (2026-12-01T10:00Z).")
            return
        if target <= now:
            self.problem(f"kindred's clock only moves forward; it is {when(now)}.")
            return
        timeline = self.loop.call(self.sandbox.advance(target))
        self.say(self.style.dim(f"⏩ kindred's clock moves on to {when(target)}"))
        for moment, changes in timeline:
            self.say(self.style.dim(f"  at {when(moment)}:"))
            self.show_changes(changes, indent="  ")
        if not timeline:
            self.say(self.style.dim("  No DMs or posts arrived in that time."))

    def save(self, argument: str) -> None:
        """Write the last file kindred sent to disk (to edit an export and import it again)."""
        if not argument:
            self.problem("Say where to save it, e.g. :save lab-resources.yaml")
            return
        upload = None
        if self.files:
            upload = self.sandbox.fake.state.files.get(int(self.files[-1].get("id", 0)))
        if upload is None:
            self.problem("kindred has not sent a file yet.")
            return
        target = Path(argument).expanduser()
        try:
            target.write_bytes(upload.data)
        except OSError as exc:
            self.problem(f"Could not save to {argument}: {exc.strerror or exc}")
            return
        self.say(self.style.dim(f"Saved {self.files[-1].get('filename')} to {target}."))

    def jobs(self) -> None:
        """The scheduler's jobs by kindred's clock."""
        runs = self.sandbox.next_runs()
        if not runs:
            self.say("Nothing is scheduled.")
        guild = str(self.sandbox.lab.guild_id)
        for job_id, moment in runs:
            self.say(f"  {job_id.replace(guild, GUILD_NAME)}: next at {when(moment)}")

    @staticmethod
    async def _async(action: Callable[[], None]) -> None:
        action()

    # ------------------------------------------------------------------------------ completion

    def complete(self, before: str) -> list[str]:
        """Tab completion for the text before the cursor."""
        stripped = before.lstrip()
        if stripped.startswith(":"):
            return self._complete_sandbox(stripped)
        if not stripped.startswith("/") and stripped:
            return []
        candidates = self.catalog.complete(stripped or "/", self._names_for)
        current = "" if not stripped or stripped[-1].isspace() else stripped.split()[-1]
        if ":" in current and not stripped.startswith("/" + current):
            candidates += self._autocomplete(stripped, current, candidates)
        return candidates

    def _names_for(self, option_type: int) -> list[str]:
        if option_type == OptionType.CHANNEL:
            return self.sandbox.text_channels()
        if option_type == OptionType.ROLE:
            return self.sandbox.role_names()
        return [u.name for u in self.sandbox.fake.state.users.values()]

    def _autocomplete(self, stripped: str, current: str, already: list[str]) -> list[str]:
        words = stripped.removeprefix("/").split()
        node, path = self.catalog._reach(words[:-1] or words)
        if node is None:
            return []
        name, _, partial = current.partition(":")
        spec = next((o for o in node.get("options") or [] if o.get("name") == name), None)
        if spec is None or not spec.get("autocomplete"):
            return []
        try:
            asked = self.sandbox.autocomplete(" ".join(path), {name: partial}, name)
            choices = self.loop.call(asked, timeout=3)
        except Exception:
            return []
        # Readline replaces the typed word with what all candidates share, so offer only values that
        # extend what was typed (or the one suggestion, when kindred has exactly one).
        values = [str(c["value"]) for c in choices]
        fitting = [v for v in values if v.casefold().startswith(partial.casefold())]
        found = [f"{name}:{v} " for v in (fitting or (values if len(values) == 1 else []))]
        return [c for c in found if c not in already]

    def _complete_sandbox(self, stripped: str) -> list[str]:
        words = stripped.split()
        current = "" if stripped[-1].isspace() else words.pop()
        if not words:
            names = ("help", "press", "choose", "as", "in", "locale", "clock", "jobs", "save", "quit")
            return [f":{n} " for n in names if f":{n}".startswith(current)]
        options: dict[str, Iterator[str] | tuple[str, ...] | list[str]] = {
            ":as": PERSONAS,
            ":in": ["dm", *("#" + n for n in self.sandbox.text_channels())],
            ":locale": LOCALES,
            ":clock": ("+1h", "+1d", "+7d"),
            ":press": [str(c.number) for c in self.controls if c.kind == "button"],
            ":choose": [str(c.number) for c in self.controls if c.kind == "select"],
        }
        if len(words) != 1:
            return []
        return [f"{v} " for v in options.get(words[0], ()) if v.startswith(current)]


__all__ = [
    "SCRIPT_CLOCK",
    "LoopThread",
    "Repl",
    "ScriptSource",
    "TerminalSource",
    "add_arguments",
    "parse_duration",
    "parse_moment",
    "run",
]
