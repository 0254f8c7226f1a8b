# Sourced by scripts/run and scripts/test: make .venv with Python 3.11+ and install kindred into it.
# Installs again only when pyproject.toml changed, so repeated runs start fast.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "kindred needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and try again." >&2
  exit 2
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
kindred_install() {  # $1: the pip target, e.g. '.' or '.[dev]'
  local stamp=".venv/.installed-$(echo "$1" | tr -c 'a-z' '_')"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$1"
    touch "$stamp"
  fi
}
