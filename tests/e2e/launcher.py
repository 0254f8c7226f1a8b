"""Run the bot (``python -m bot``) against the fake Discord.

Usage: ``python tests/e2e/launcher.py [--module NAME] [bot CLI args...]``

Reads ``KINDRED_FAKE_API`` (REST base including ``/api/v10``) and ``KINDRED_FAKE_GATEWAY``
(ws URL), points discord.py at them, then runs the module exactly as ``python -m`` would.
The module defaults to ``bot``; ``--module`` (first argument) or ``KINDRED_LAUNCH_MODULE``
selects another one (the e2e tests use ``tests.e2e._toy_bot``). Nothing else is patched.
"""

from __future__ import annotations

import os
import runpy
import sys


def main() -> None:
    api = os.environ.get("KINDRED_FAKE_API")
    gateway = os.environ.get("KINDRED_FAKE_GATEWAY")
    if not api or not gateway:
        sys.exit(
            "launcher: KINDRED_FAKE_API and KINDRED_FAKE_GATEWAY must be set (refusing to reach real Discord)"
        )

    args = sys.argv[1:]
    module = os.environ.get("KINDRED_LAUNCH_MODULE", "bot")
    if args[:1] == ["--module"]:
        if len(args) < 2:
            sys.exit("launcher: --module needs a module name")
        module, args = args[1], args[2:]

    import discord.gateway
    import discord.http
    import yarl

    discord.http.Route.BASE = api
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)

    # Mimic `python -m`: the working directory (repo root) first on sys.path, not this file's dir.
    sys.path[0] = os.getcwd()
    sys.argv = [sys.argv[0], *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
