# kindred: small image, non-root, data on a volume, healthy only while connected to Discord.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KINDRED_DB_PATH=/data/kindred.sqlite3

RUN useradd --create-home --uid 10001 kindred \
 && mkdir -p /data /home/kindred/.config/kindred \
 && chown -R kindred:kindred /data /home/kindred/.config \
 && chmod 700 /data /home/kindred/.config/kindred

WORKDIR /app
# Dependencies from the hash-locked file first (a cached layer), then kindred itself. The slim image has
# no C compiler, so setup.py skips the compiled word scorer and the bot counts in numpy (slower, same answers).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY resources ./resources
# Byte-compiled once here: PYTHONDONTWRITEBYTECODE (and a read-only /app) would otherwise make every
# start compile every kindred module again, about half a second before READY.
RUN pip install --no-cache-dir --no-deps -e . \
 && python -m compileall -q bot cogs

USER 10001
VOLUME ["/data"]

# `python -m bot health` fails when the gateway heartbeat file is older than
# KINDRED_HEALTH_MAX_AGE seconds (default 180), i.e. the bot has been disconnected for minutes.
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s --retries=3 \
  CMD ["python", "-m", "bot", "health"]

CMD ["python", "-m", "bot"]
