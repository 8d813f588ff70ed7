"""Where the journal and the user's configuration live.

The journal is chosen by `--db`, then the RBP_DB environment variable, then the user data
directory for "rbp" that platformdirs gives. On Linux that is the XDG base directory, read here
without importing platformdirs (its import, tempfile and shutil with it, costs 5-10 ms in every
command a person types without --db); the tests check that both give the same folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rbp_journal.errors import UsageError

APP = "rbp"


def journal_path(db: str | Path | None = None) -> Path:
    """--db, else RBP_DB, else the default; a blank name is a usage error, not a file called
    " " (an empty RBP_DB counts as unset, as shells treat it)."""
    for given in (db, os.environ.get("RBP_DB")):
        if given is None or given == "":
            continue
        if not str(given).strip():  # the CLI reads RBP_DB into --db: which one is unknown
            raise UsageError(
                "--db (or RBP_DB) is blank; give the journal's path, or leave it unset."
            )
        return Path(given).expanduser()
    return journal_path_default()


def journal_path_default() -> Path:
    return _user_dir("XDG_DATA_HOME", ".local/share", "user_data_dir") / "journal.db"


def config_dir() -> Path:
    return _user_dir("XDG_CONFIG_HOME", ".config", "user_config_dir")


def _user_dir(variable: str, default: str, kind: str) -> Path:
    """rbp's folder of a kind: on Linux, $variable when it is an absolute path (the XDG spec
    ignores any other) else ~/default, as platformdirs gives it; elsewhere, and for an
    unusual home, platformdirs' `kind`."""
    home = os.environ.get("HOME", "")
    if sys.platform == "linux" and os.path.isabs(home) and "ANDROID_DATA" not in os.environ:
        base = os.environ.get(variable, "")
        return Path(base if os.path.isabs(base) else os.path.join(home, default), APP)
    import platformdirs

    return Path(getattr(platformdirs, kind)(APP, appauthor=False))


def user_prompts_dir() -> Path:
    return config_dir() / "prompts"


def make_private_dir(path: Path) -> None:
    """Create a directory (and missing parents) readable by the owner only."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)
        directory.chmod(0o700)


def belongs_to_journal(target: Path, db: Path) -> bool:
    """Whether writing `target` would overwrite the journal at `db` or one of its own files:
    the -wal, -shm and rollback journal, what rbp keeps beside it (`journal.db.*`), and its
    backups folder. Both paths are compared with symlinks resolved."""
    real, journal = Path(os.path.realpath(target)), Path(os.path.realpath(db))
    if real == journal or real.parent == journal.parent / "backups":
        return True
    beside = real.parent == journal.parent and real.name.startswith(journal.name)
    return beside and real.name[len(journal.name) : len(journal.name) + 1] in {"-", "."}
