"""The Docker image's run path, exercised without a Docker engine (none on these machines).

The Dockerfile is parsed, not copied into the test: its COPY sources become the working directory,
its ENV the environment, its numeric USER the process's user and group, its VOLUME a fresh
directory owned by that user (the Dockerfile's `chown`/`chmod 700`), its CMD the command (run
through fakediscord/launcher.py, which only points discord.py at the fake Discord) and its
HEALTHCHECK command the probe. The bot must reach READY as that user with its database on the
volume and its generated key in the user's home (the compose file's separate key volume), the
healthcheck must pass while it runs and fail once it has stopped.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import stat
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import LAUNCHER, REPO_ROOT
from tests.reliability.helpers import bounded

DOCKERFILE = REPO_ROOT / "Dockerfile"
HEALTHY_WITHIN = 20.0


@dataclass
class Image:
    """What the Dockerfile says about running the image."""

    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    copies: list[str] = field(default_factory=list)  # sources copied into the image
    user: str | None = None
    volumes: list[str] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)


def instructions(text: str) -> Iterator[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    logical = ""
    for line in text.splitlines():
        if not logical and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            logical += line.rstrip()[:-1] + " "
            continue
        logical += line
        word, _, rest = logical.strip().partition(" ")
        yield word.upper(), rest.strip()
        logical = ""


def exec_form(arguments: str) -> list[str]:
    """A JSON (exec form) argument list; the shell form would run under /bin/sh instead."""
    assert arguments.startswith("["), f"use the exec form (a JSON list), not {arguments!r}"
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


def parse(text: str) -> Image:
    image = Image()
    for word, rest in instructions(text):
        if word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                image.env[key] = value
        elif word == "WORKDIR":
            image.workdir = str(PurePosixPath(image.workdir) / rest)
        elif word == "COPY":
            *sources, _ = shlex.split(rest)
            image.copies += [s for s in sources if not s.startswith("--")]
        elif word == "USER":
            image.user = rest
        elif word == "VOLUME":
            image.volumes += exec_form(rest) if rest.startswith("[") else rest.split()
        elif word == "RUN":
            image.runs.append(rest)
        elif word == "HEALTHCHECK":
            _, _, command = rest.partition("CMD ")
            image.healthcheck = exec_form(command.strip())
        elif word == "CMD":
            image.cmd = exec_form(rest)
    return image


def python_module(argv: list[str]) -> tuple[str, list[str]]:
    """`python -m MODULE ARGS...` -> (MODULE, ARGS)."""
    assert argv[:2] == ["python", "-m"] and len(argv) >= 3, argv
    return argv[2], argv[3:]


@dataclass
class Rootfs:
    """The directories standing in for the image's file system."""

    top: Path
    app: Path
    volume: Path
    home: Path


def stand_in(image: Image, uid: int, gid: int) -> Rootfs:
    # Not pytest's tmp_path: that is private to root, and the image's user must reach the files.
    top = Path(tempfile.mkdtemp(prefix="kindred-image-"))
    top.chmod(0o755)
    app = top / image.workdir.strip("/")
    app.mkdir(parents=True)
    for source in image.copies:
        origin = REPO_ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, app / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, app / source)
    # As the Dockerfile's RUN line does: the volume and the key's folder belong to the user, 0700.
    (volume,) = image.volumes
    data = top / volume.strip("/")
    home = top / "home" / "kindred"
    keys = home / ".config" / "kindred"
    for folder in (data, keys):
        folder.mkdir(parents=True)
    for folder in (data, home, home / ".config", keys):
        os.chown(folder, uid, gid)
    data.chmod(0o700)
    keys.chmod(0o700)
    return Rootfs(top, app, data, home)


def inside(path: str, rootfs: Rootfs) -> str:
    """An absolute image path as the stand-in path."""
    return str(rootfs.top / path.lstrip("/"))


@pytest.fixture
def image() -> Image:
    return parse(DOCKERFILE.read_text(encoding="utf-8"))


def test_the_dockerfile_runs_kindred_as_a_numeric_user_with_data_on_the_volume(image: Image) -> None:
    assert image.user is not None and image.user.isdigit(), f"USER {image.user!r} must be numeric"
    assert python_module(image.cmd) == ("bot", [])
    assert image.healthcheck == ["python", "-m", "bot", "health"]
    (volume,) = image.volumes
    db_path = PurePosixPath(image.env["KINDRED_DB_PATH"])
    assert db_path.parent == PurePosixPath(volume), "the database must live on the volume"
    run = " ".join(image.runs)
    assert re.search(rf"--uid {image.user}\b", run), "the image's user must have USER's id"
    assert re.search(rf"chown -R \S+ {re.escape(volume)}\b", run) and f"chmod 700 {volume}" in run
    assert {"bot", "cogs", "resources", "pyproject.toml"} <= {c.rstrip("/") for c in image.copies}


async def run(argv: list[str], *, cwd: Path, env: dict[str, str], uid: int, gid: int) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=env,
        user=uid,
        group=gid,
        extra_groups=[],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace")


@dataclass(frozen=True)
class Python:
    """The image's `python`: an interpreter the user can run, with kindred's locked dependencies."""

    executable: str
    env: dict[str, str]

    def argv(self, argv: list[str]) -> list[str]:
        assert argv[0] == "python", argv
        return [self.executable, *argv[1:]]


PROBE = "import sys, aiosqlite, apscheduler, cryptography, discord, opencc, yaml; print(sys.version)"


async def python_for_user(uid: int, gid: int) -> tuple[Python | None, list[str]]:
    """This interpreter if the user can run it; else the system's one of the same version, with this
    environment's installed packages on PYTHONPATH (a venv under a private home is out of reach)."""
    candidates = [Python(sys.executable, {})]
    system = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
    if system:
        purelib = sysconfig.get_paths()["purelib"]
        candidates.append(Python(system, {"PYTHONPATH": purelib}))
    tried = []
    for python in candidates:
        try:
            code, said = await run(
                [python.executable, "-c", PROBE], cwd=Path("/"), env=python.env, uid=uid, gid=gid
            )
        except OSError as exc:
            tried.append(f"{python.executable}: {exc}")
            continue
        if code == 0 and said.startswith(f"{sys.version_info.major}.{sys.version_info.minor}."):
            return python, tried
        tried.append(f"{python.executable}: {said.strip()[-200:]}")
    return None, tried


@bounded(90)
async def test_the_image_run_path_reaches_ready_and_the_healthcheck_follows_it(image: Image) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"running as uid {image.user} (the image's USER) needs root; this is uid {os.geteuid()}")
    uid = gid = int(image.user or "0")
    python, tried = await python_for_user(uid, gid)
    if python is None:
        pytest.skip(f"no Python with kindred's dependencies runs as uid {uid}: {tried}")
    rootfs = stand_in(image, uid, gid)
    try:
        async with FakeDiscord() as fake:
            guild = fake.add_guild("Lab of Small Models")
            fake.add_text_channel(guild.id, "general")
            env = {
                **{k: inside(v, rootfs) if k == "KINDRED_DB_PATH" else v for k, v in image.env.items()},
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": str(rootfs.home),
                "DISCORD_TOKEN": fake.token,  # from the compose file's .env
                "KINDRED_FAKE_API": fake.api_base,
                "KINDRED_FAKE_GATEWAY": fake.gateway_url,
                **python.env,
            }
            code, where = await run(
                python.argv(["python", "-c", "import bot; print(bot.__file__)"]),
                cwd=rootfs.app,
                env=env,
                uid=uid,
                gid=gid,
            )
            assert code == 0, where
            assert Path(where.strip()).is_relative_to(rootfs.app), f"kindred was imported from {where}"

            module, args = python_module(image.cmd)
            log_path = rootfs.top / "bot.log"
            with log_path.open("wb") as log:
                bot = await asyncio.create_subprocess_exec(
                    *python.argv(["python", str(LAUNCHER), "--module", module, *args]),
                    cwd=rootfs.app,
                    env=env,
                    user=uid,
                    group=gid,
                    extra_groups=[],
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=log,
                    stderr=asyncio.subprocess.STDOUT,
                )
            try:
                await fake.wait_ready(30)
                healthcheck = python.argv(image.healthcheck)
                loop = asyncio.get_running_loop()
                deadline = loop.time() + HEALTHY_WITHIN
                while True:
                    code, said = await run(healthcheck, cwd=rootfs.app, env=env, uid=uid, gid=gid)
                    if code == 0 or loop.time() > deadline:
                        break
                    await asyncio.sleep(0.2)
                logs = log_path.read_text(errors="replace")
                assert code == 0, f"healthcheck: {said}\n--- bot log ---\n{logs}"
                assert said.startswith("healthy"), said
                assert bot.returncode is None, logs
                bot.terminate()  # docker stop
                assert await asyncio.wait_for(bot.wait(), 30) == 0, log_path.read_text(errors="replace")
            finally:
                if bot.returncode is None:
                    bot.kill()
                    await bot.wait()
            code, said = await run(healthcheck, cwd=rootfs.app, env=env, uid=uid, gid=gid)
            assert code != 0, f"the healthcheck passed after the bot stopped: {said}"
            assert "stopped" in said, said

        logs = log_path.read_text(errors="replace")
        assert "Traceback" not in logs, logs
        db = Path(env["KINDRED_DB_PATH"])
        assert db.parent == rootfs.volume
        made = [db, *rootfs.volume.iterdir()]
        for path in made:
            info = path.stat()
            assert (info.st_uid, info.st_gid) == (uid, gid), f"{path} is not owned by the image's user"
            assert stat.S_IMODE(info.st_mode) & 0o077 == 0, f"{path} is readable by others"
        keys = list((rootfs.home / ".config" / "kindred").glob("*.key"))
        assert len(keys) == 1, "the generated key belongs in the user's home, apart from the data volume"
        assert not list(rootfs.volume.glob("*.key"))
    finally:
        shutil.rmtree(rootfs.top, ignore_errors=True)
