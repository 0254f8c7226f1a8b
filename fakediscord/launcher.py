"""Point an unmodified discord.py at the fake Discord, and run a module against it.

Usage: ``python fakediscord/launcher.py [--module NAME] [bot CLI args...]``

Reads ``KINDRED_FAKE_API`` (REST base including ``/api/v10``) and ``KINDRED_FAKE_GATEWAY``
(ws URL), points discord.py at them (:func:`point_discord_at`), then runs the module exactly as
``python -m`` would. The module defaults to ``bot``; ``--module`` (first argument) or
``KINDRED_LAUNCH_MODULE`` selects another one (the fake's own tests use
``tests.fakediscord._toy_bot``). Nothing else is patched. In-process users (the sandbox) call
:func:`point_discord_at` themselves.
"""

from __future__ import annotations

import os
import runpy
import sys


def point_discord_at(api: str, gateway: str) -> None:
    """Send discord.py's REST calls to `api` and its gateway connection to `gateway` (this process)."""
    import discord.gateway
    import discord.http
    import yarl

    discord.http.Route.BASE = api
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


def main() -> None:
    """Run the module named on the command line against the fake named in the environment."""
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

    point_discord_at(api, gateway)

    # Mimic `python -m`: the working directory (repo root) first on sys.path, not this file's dir.
    sys.path[0] = os.getcwd()
    sys.argv = [sys.argv[0], *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
