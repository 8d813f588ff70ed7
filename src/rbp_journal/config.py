"""The user's own settings, from `<config dir>/config.toml`; everything works without it.

[privacy]
allow = ["0113 496 0000", "duty-team@example.org"]   # never flagged: the team's own details
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

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


def allow_list() -> AllowList:
    """The details the practitioner has said are never identifying (their team's own)."""
    return AllowList()


class AllowList(Sequence[str]):
    """The allow list, read from the config file the first time it is looked at: most text
    holds nothing to let through, and reading a settings file loads tomllib and pydantic
    (~50 ms), which a review or a plain read otherwise never pays."""

    def __init__(self) -> None:
        self._entries: tuple[str, ...] | None = None

    def _read(self) -> tuple[str, ...]:
        if self._entries is None:
            path = config_path()
            self._entries = tuple(load(path).privacy.allow) if path.exists() else ()
        return self._entries

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())
