"""A fake Discord on 127.0.0.1: REST, gateway, interactions, rate limits, permissions, payload checks.

An unmodified discord.py client talks to it once :func:`fakediscord.launcher.point_discord_at`
has pointed it there (``launcher.py`` does that for a subprocess; :mod:`fakediscord.harness`
runs and watches such a subprocess). It imports neither ``bot`` nor ``cogs``: kindred's e2e
tests, benchmarks and the ``python -m bot sandbox`` front end use it, not the other way round.
"""
