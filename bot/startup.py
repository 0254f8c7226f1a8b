"""The one place that loads resources/ and builds the bot: the CLI, the sandbox and tests use it."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import KindredBot, utcnow
from bot.calendar_data import read_snapshot
from bot.config import Settings
from bot.content import Library, load_library
from bot.crisis import CrisisDirectory, load_directory, with_traditional
from bot.hant import load_traditionaliser, use_memo
from bot.i18n import Strings, load_strings
from bot.secret import load_or_create_secret
from bot.store.backend import database_for
from bot.translator import CommandTranslator, load_translator
from bot.yamlfile import Problem

log = logging.getLogger("bot")

#: The zh-TW conversion memo's file name, beside the database (shipped content only).
HANT_MEMO = "kindred-zh-tw-memo.json"


@dataclass(frozen=True)
class Content:
    """Everything loaded from resources/ at start."""

    library: Library
    directory: CrisisDirectory
    strings: Strings
    translator: CommandTranslator


def load_content(settings: Settings) -> tuple[Content | None, list[Problem]]:
    """Load and validate every file in resources/.

    OpenCC's zh-TW conversions of the shipped text are remembered beside the database
    (:class:`bot.hant.Memo`), so a start with unchanged packs does not load OpenCC.
    """
    memo = use_memo(settings.db_path.with_name(HANT_MEMO))
    try:
        return _load_content(settings)
    finally:
        memo.save()
        use_memo(None)  # later conversions (none today) stay in memory: the file holds shipped text only


def _load_content(settings: Settings) -> tuple[Content | None, list[Problem]]:
    library, problems = load_library(settings.resources_dir)
    directory, crisis_problems = load_directory(settings.resources_dir / "crisis_lines.yaml")
    strings, string_problems = load_strings(settings.resources_dir)
    translator, translator_problems = load_translator(settings.resources_dir)
    _, calendar_problems = read_snapshot(settings.resources_dir)
    problems += crisis_problems + string_problems + translator_problems + calendar_problems
    if problems or directory is None:
        return None, problems
    traditionalise, _ = load_traditionaliser(settings.resources_dir)  # its problems are reported above
    return Content(library, with_traditional(directory, traditionalise), strings, translator), []


# Libraries that log payloads at DEBUG: SQL parameters (answers beside receipts), request bodies
# (share text, user ids) and gateway events. They stay at INFO unless explicitly unlocked.
PAYLOAD_LOGGERS = ("aiosqlite", "discord.http", "discord.webhook", "discord.state", "discord.gateway")


def setup_logging(level: str, *, unsafe_debug: bool = False) -> None:
    """One line per record on stderr; never user ids beside wellbeing data, at any level."""
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    floor = logging.getLevelName(level)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(floor if unsafe_debug else max(logging.INFO, floor))
    if unsafe_debug and floor < logging.INFO:
        log.warning(
            "KINDRED_UNSAFE_DEBUG_LOGS is set: the log now contains share text, check-in answers "
            "and user ids. Use it only on a test server, and delete the log afterwards."
        )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("discord.client").addFilter(_not_about_voice)


def _not_about_voice(record: logging.LogRecord) -> bool:
    """Drop discord.py's start-up warnings about voice libraries: kindred has no voice features."""
    return "voice will NOT be supported" not in record.getMessage()


def build_bot(
    settings: Settings,
    content: Content,
    *,
    clock: Callable[[], datetime] = utcnow,
    scheduler: AsyncIOScheduler | None = None,
    guild_ready_timeout: float | None = None,
) -> KindredBot:
    """The bot `python -m bot` runs: its database, content and key, nothing connected yet.

    `clock` and `scheduler` are kindred's notion of time (the sandbox passes a virtual clock and
    a scheduler it runs by hand); `guild_ready_timeout` is discord.py's wait for guilds before
    on_ready (its default when None).
    """
    secret = load_or_create_secret(settings.secret_key, settings.secret_key_path, settings.legacy_key_path)
    return KindredBot(
        settings=settings,
        db=database_for(settings, secret),
        library=content.library,
        directory=content.directory,
        strings=content.strings,
        secret=secret,
        translator=content.translator,
        clock=clock,
        scheduler=scheduler,
        guild_ready_timeout=guild_ready_timeout,
    )
