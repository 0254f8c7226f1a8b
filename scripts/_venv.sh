# Sourced by scripts/run and scripts/test: make .venv with Python 3.11+ and install kindred into it.
# Dependencies come from the hash-locked files (requirements.lock, requirements-dev.lock), then
# kindred itself without dependencies; installs again only when a lock or pyproject.toml changed.
# To update the locks after changing pyproject.toml (uv: `pip install uv`):
#   uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.11 -o requirements.lock
#   uv pip compile pyproject.toml --extra dev --universal --generate-hashes --python-version 3.11 -o requirements-dev.lock
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "kindred needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and try again." >&2
  exit 2
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
kindred_install() {  # $1: '.' (to run) or '.[dev]' (to test)
  local lock=requirements.lock
  [ "$1" = "." ] || lock=requirements-dev.lock
  local stamp=".venv/.installed-$(echo "$1" | tr -c 'a-z' '_')"
  # setup.py builds the word model's scorer (bot/screening/_wordscore.c) in place: a changed source rebuilds.
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$lock" -nt "$stamp" ] \
    || [ setup.py -nt "$stamp" ] || [ bot/screening/_wordscore.c -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    touch "$stamp"
  fi
}
