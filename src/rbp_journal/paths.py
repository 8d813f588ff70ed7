"""Where the journal and the user's configuration live.

The journal is chosen by `--db`, then the RBP_DB environment variable, then the user data
directory that platformdirs gives for "rbp". platformdirs is imported only when needed.
"""

from __future__ import annotations

import os
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
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "journal.db"


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


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
