"""The user's own settings, from `<config dir>/config.toml`; everything works without it.

[privacy]
allow = ["0113 496 0000", "duty-team@example.org"]   # never flagged: the team's own details
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal import paths
from rbp_journal.errors import RbpError, first_problem

if TYPE_CHECKING:
    from rbp_journal.models.config import Config


class BadConfig(RbpError):
    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}. Fix or move the file; rbp needs none.")


def config_path() -> Path:
    return paths.config_dir() / "config.toml"


def load(path: Path | None = None) -> Config:
    # pydantic and tomllib: only when there are settings to check (most people have no file)
    import tomllib

    from pydantic import ValidationError

    from rbp_journal.models.config import Config

    path = path or config_path()
    if not path.exists():
        return Config()
    try:
        return Config.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadConfig(path, f"cannot be read ({error})") from None
    except RecursionError:
        raise BadConfig(path, "cannot be read (it nests deeper than rbp reads)") from None
    except ValidationError as error:
        where = lambda loc: f"`{'.'.join(str(part) for part in loc)}`"  # noqa: E731
        raise BadConfig(path, first_problem(error, locate=where)) from None


def allow_list() -> tuple[str, ...]:
    """The details the practitioner has said are never identifying (their team's own)."""
    path = config_path()
    return tuple(load(path).privacy.allow) if path.exists() else ()
