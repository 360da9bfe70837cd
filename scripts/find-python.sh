#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 for the project's virtual environment.
# Order: the pyenv version named in .python-version, then python3.13/3.12 on PATH, then python3.
set -euo pipefail
cd "$(dirname "$0")/.."
wanted=$(cat .python-version)
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
if command -v pyenv >/dev/null 2>&1; then
  candidates+=("$(pyenv root)/versions/${wanted}/bin/python")
fi
candidates+=("${PYENV_ROOT:-$HOME/.pyenv}/versions/${wanted}/bin/python")
for name in python3.13 python3.12 python3; do
  if command -v "$name" >/dev/null 2>&1; then candidates+=("$(command -v "$name")"); fi
done
for candidate in "${candidates[@]}"; do
  if [ -x "$candidate" ] && ok "$candidate"; then echo "$candidate"; exit 0; fi
done
echo "Goldthread needs Python 3.12 or newer (pyenv ${wanted} preferred); none was found." >&2
exit 1
