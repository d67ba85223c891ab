"""Build the distribution and check that the wheel holds everything each app needs.

    python -m tests.wheel [--outdir DIR]

builds the sdist and, from it, the wheel (``python -m build``, as a release does), then compares
the wheel's file list with the source tree: every file of every app (its modules, templates,
static files, locale .po and .mo, data files, migrations and ``py.typed``) must be in it. Exits 1
with the list of what is missing. ``tests/helpcenter/test_install_guide.py`` installs the same
wheel into a fresh virtualenv.
"""

import argparse
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APPS = ("helpcenter", "faq", "search", "contactform", "community")
SKIPPED_PARTS = {"__pycache__"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def build(outdir: Path) -> Path:
    """Build sdist and wheel into ``outdir`` and return the wheel's path."""
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(outdir), str(REPO)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"python -m build failed:\n{result.stdout}\n{result.stderr}")
    (wheel,) = outdir.glob("*.whl")
    return wheel


def required_files(root: Path = REPO) -> list[str]:
    """Every file of every app in the source tree, as a path inside the wheel."""
    files = []
    for app in APPS:
        for path in sorted((root / app).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not (
                SKIPPED_PARTS & set(relative.parts) or path.suffix in SKIPPED_SUFFIXES
            ):
                files.append(relative.as_posix())
    return files


def missing_files(wheel: Path, root: Path = REPO) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        present = set(archive.namelist())
    return [name for name in required_files(root) if name not in present]


def summary(wheel: Path) -> str:
    """Files per app and kind (templates, static, locale, ...), one line per app."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    lines = [f"{wheel.name}: {len(names)} files"]
    for app in APPS:
        kinds = Counter(
            parts[1] if len(parts) > 2 else "modules"
            for parts in (name.split("/") for name in names)
            if parts[0] == app
        )
        lines.append(f"  {app}: " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, help="keep the sdist and wheel here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        wheel = build(args.outdir or Path(scratch))
        print(summary(wheel))
        missing = missing_files(wheel)
        if missing:
            print(f"MISSING from the wheel ({len(missing)} files; see MANIFEST.in and setup.cfg):")
            print("\n".join(f"  {name}" for name in missing))
            return 1
        print(f"All {len(required_files())} files of the apps are in the wheel.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
