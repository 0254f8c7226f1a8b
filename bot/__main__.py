"""Command line: `python -m bot` (run), `sync`, `check`, `health`, `backup`, `rotate-key`, `sandbox`.

Only parsing and dispatch; the bot is built in :mod:`bot.startup`. Nothing imports this module.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import signal
import sys
from pathlib import Path

import discord

from bot import __version__
from bot.app import KindredBot, utcnow
from bot.config import ConfigError, Settings, load_settings
from bot.heartbeat import check_health
from bot.keys import KeyMismatch, rekey, verify_key
from bot.secret import load_or_create_secret, write_key_file
from bot.startup import build_bot, load_content, setup_logging
from bot.store import StoreUnavailable
from bot.store.backend import database_for

log = logging.getLogger("bot")


def _parser(*, sandbox_options: bool = True) -> argparse.ArgumentParser:
    """The CLI; `sandbox_options=False` skips importing the sandbox (and the fake Discord behind it)."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="kindred peer-support bot")
    parser.add_argument("--version", action="version", version=f"kindred {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord and serve (the default)")
    sync = sub.add_parser("sync", help="publish slash commands to Discord")
    sync.add_argument("--guild", type=int, help="sync to one server only (instant, for testing)")
    sub.add_parser("check", help="validate configuration, resources/ and migrations offline")
    sub.add_parser("health", help="exit 0 if the running bot is connected to the gateway")
    backup = sub.add_parser("backup", help="copy the live database consistently to PATH (closed weeks only)")
    backup.add_argument("path", type=Path)
    rotate = sub.add_parser("rotate-key", help="re-seal everything under a new secret key (bot stopped)")
    rotate.add_argument("--yes", action="store_true", help="confirm: receipts and share blocks are dropped")
    sandbox = sub.add_parser("sandbox", help="try kindred in a terminal, no Discord needed")
    if not sandbox_options:  # `python -m bot` (run): 0.4 s of imports it never uses, off the path to READY
        return parser
    try:
        from bot.sandbox.cli import add_arguments as add_sandbox_arguments
    except ModuleNotFoundError as exc:
        if not _is_fakediscord(exc):
            raise
        sandbox.set_defaults(sandbox_unavailable=True)  # its options are unknown: main() says why
        sandbox.description = SANDBOX_NEEDS_CHECKOUT
    else:
        add_sandbox_arguments(sandbox)
    return parser


def _is_fakediscord(exc: ModuleNotFoundError) -> bool:
    """The sandbox's fake Discord is missing (an installed package or the Docker image)."""
    return (exc.name or "").partition(".")[0] == "fakediscord"


SANDBOX_NEEDS_CHECKOUT = (
    "kindred sandbox: the sandbox runs kindred against its fake Discord (fakediscord/), which ships "
    "with a source checkout, not with the installed package or the Docker image. Clone the "
    "repository and run `bash scripts/run sandbox` there."
)


async def _serve(bot: KindredBot) -> int:
    """Run until the gateway client stops or SIGINT/SIGTERM asks us to."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with bot:
        runner = asyncio.create_task(bot.start(bot.settings.discord_token), name="kindred-gateway")
        stopper = asyncio.create_task(stop.wait(), name="kindred-signal")
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down")
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
            return 0
        stopper.cancel()
        try:
            runner.result()
        except KeyMismatch as exc:
            print(f"kindred: {exc}", file=sys.stderr)
            return 2
        except discord.LoginFailure:
            print(
                "kindred: Discord rejected DISCORD_TOKEN; reset it in the developer portal and update .env.",
                file=sys.stderr,
            )
            return 2
        except discord.PrivilegedIntentsRequired:
            print(
                "kindred: Discord asked for privileged intents, which kindred never needs.", file=sys.stderr
            )
            return 2
    return 0


async def _sync(bot: KindredBot, guild_id: int | None) -> int:
    async with bot:
        await bot.login(bot.settings.discord_token)
        if guild_id is not None:
            guild = discord.Object(guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            print(f"synced {len(synced)} commands to server {guild_id} (available now)")
        else:
            synced = await bot.tree.sync()
            print(f"synced {len(synced)} commands globally (Discord may take up to an hour)")
    return 0


async def _check_database(settings: Settings) -> list[str]:
    db = database_for(settings)
    where = "the PostgreSQL database" if settings.database_url else str(settings.db_path)
    try:
        found = await db.integrity()  # SQLite: all three files; PostgreSQL: reachable, schema current
    except StoreUnavailable as exc:
        return [f"{where}: {exc}"]
    finally:
        await db.close()
    return [] if found == "ok" else [found if settings.database_url is None else f"{where}: {found}"]


def _check() -> int:
    errors: list[str] = []
    try:
        settings = load_settings(require_token=True)
    except ConfigError as exc:
        errors.append(f"configuration: {exc}")
        try:
            settings = load_settings(require_token=False)
        except ConfigError as other:  # a setting besides the token is wrong: nothing else can be checked
            found = dict.fromkeys([f"configuration: {exc}", f"configuration: {other}"])
            print("\n".join(found), f"kindred check: {len(found)} problem(s)", sep="\n", file=sys.stderr)
            return 1
    content, problems = load_content(settings)
    errors += [str(p) for p in problems]
    errors += asyncio.run(_check_database(settings))
    for line in errors:
        print(line, file=sys.stderr)
    if errors:
        print(f"kindred check: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    assert content is not None  # noqa: S101 - no problems means everything loaded
    topics = len(content.library.pack("en").topics)
    print(f"kindred check: ok ({topics} topics, {content.directory.summary()}, database {_where(settings)})")
    for hidden in content.directory.unconfirmed():  # moderators see these; members never do
        print(f"  unconfirmed, not shown to members: {hidden.id} ({hidden.country}) {hidden.source}")
    return 0


def _where(settings: Settings) -> str:
    return "PostgreSQL (KINDRED_DATABASE_URL)" if settings.database_url else str(settings.db_path)


async def _backup(settings: Settings, target: Path) -> int:
    if (
        settings.database_url is None and not settings.db_path.is_file()
    ):  # opening it would create (and back up) an empty database
        print(
            f"kindred backup: there is no database at {settings.db_path}; check KINDRED_DB_PATH.",
            file=sys.stderr,
        )
        return 1
    if target.resolve() == settings.db_path.resolve():
        print("kindred backup: the backup must go to another file than the database itself.", file=sys.stderr)
        return 1
    db = database_for(settings)
    try:
        await db.backup_to(target)
    except StoreUnavailable as exc:
        print(f"kindred backup: {exc}", file=sys.stderr)
        return 1
    finally:
        await db.close()
    print(f"backed up {_where(settings)} to {target}")
    return 0


async def _rotate_key(settings: Settings, confirmed: bool) -> int:
    if settings.database_url is None and not settings.db_path.is_file():
        print(f"kindred rotate-key: there is no database at {settings.db_path}.", file=sys.stderr)
        return 1
    if not confirmed:
        print(
            "kindred rotate-key re-seals every weekly-DM subscription under a new key. This week's "
            "check-in receipts and all share blocks cannot be carried over and are dropped (members "
            "may check in once more this week). Stop the bot, then run again with --yes.",
            file=sys.stderr,
        )
        return 2
    old = load_or_create_secret(settings.secret_key, settings.secret_key_path, settings.legacy_key_path)
    new = secrets.token_hex(32)
    db = database_for(settings)
    try:
        await db.open()
        await verify_key(db, old)
        done = await rekey(db, old, new.encode())
    except (StoreUnavailable, KeyMismatch) as exc:
        print(f"kindred rotate-key: {exc}", file=sys.stderr)
        return 1
    finally:
        await db.close()
    if settings.secret_key is None:
        write_key_file(settings.secret_key_path, new)
        where = f"the new key is in {settings.secret_key_path}"
    else:
        print(new)
        where = "set KINDRED_SECRET_KEY to the key printed above before you start kindred again"
    print(
        f"kindred rotate-key: {done.subscriptions} subscriptions re-sealed, {done.unreadable} unreadable, "
        f"{done.receipts_dropped} receipts and {done.blocks_dropped} blocks dropped, "
        f"{done.conversations_closed} /reach conversations closed; {where}.",
        file=sys.stderr,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    words = sys.argv[1:] if argv is None else argv
    parser = _parser(sandbox_options="sandbox" in words)
    args, unknown = parser.parse_known_args(argv)
    if getattr(args, "sandbox_unavailable", False):
        print(SANDBOX_NEEDS_CHECKOUT, file=sys.stderr)
        return 2
    if unknown:  # what parse_args() would say
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    command = args.command or "run"
    if command == "check":
        return _check()
    if command == "sandbox":
        from bot.sandbox.cli import run as run_sandbox  # _parser() imported it: fakediscord is here

        return run_sandbox(args)
    try:
        settings = load_settings(require_token=command in {"run", "sync"})
    except ConfigError as exc:
        print(f"kindred: {exc}", file=sys.stderr)
        return 2
    os.umask(0o077)  # the database, its journals, backups and key files: readable by kindred only
    setup_logging(settings.log_level, unsafe_debug=settings.unsafe_debug_logs)
    if command == "health":
        ok, reason = check_health(settings.heartbeat_path, utcnow(), settings.health_max_age)
        if settings.shards is not None:  # beats are written only while every shard of the range is up
            reason += f" (shards {settings.shards})"
        print(reason)
        return 0 if ok else 1
    if command == "backup":
        return asyncio.run(_backup(settings, args.path.resolve()))
    if command == "rotate-key":
        return asyncio.run(_rotate_key(settings, args.yes))
    content, problems = load_content(settings)
    if content is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("kindred: resources/ has problems; run `python -m bot check`.", file=sys.stderr)
        return 1
    bot = build_bot(settings, content)
    if command == "sync":
        return asyncio.run(_sync(bot, args.guild))
    return asyncio.run(_serve(bot))


if __name__ == "__main__":
    sys.exit(main())
