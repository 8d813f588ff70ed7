"""What can go wrong, named as conditions.

Each error carries the one sentence a person should read: what went wrong and what to do.
The root app (cli/__init__.py) turns any RbpError into that sentence on stderr and its exit
code; nothing else catches them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic loads only where something is validated
    from pydantic import ValidationError


class RbpError(Exception):
    """A failure a person can act on; shown as one line, exit 1."""

    exit_code = 1


class UsageError(RbpError):
    """The command line itself was wrong; exit 2, like Typer's own usage errors."""

    exit_code = 2


class BadDate(UsageError):
    def __init__(self, text: str, future: bool = False) -> None:
        words = (
            "a weekday (friday: the coming one), next friday, monday week, tomorrow, "
            "'in N days', 'in N weeks', end of week or end of month"
            if future
            else "today, yesterday, a weekday (monday: the last one), 'N days ago', "
            "'N weeks ago' or last week"
        )
        super().__init__(
            f"Cannot read the date {text!r}; use a date like 2026-11-20, 27/11, 27/11/2026 or "
            f"27 Nov, or {words}."
        )


class ReflectionNotFound(RbpError):
    def __init__(self, rid: int) -> None:
        super().__init__(f"No reflection with id {rid}. `rbp list` shows the ids.")


class CpdNotFound(RbpError):
    def __init__(self, cid: int) -> None:
        super().__init__(f"No CPD record with id {cid}. `rbp cpd list` shows the ids.")


class FollowupNotFound(RbpError):
    def __init__(self, fid: int) -> None:
        super().__init__(f"No follow-up with id {fid}. `rbp followups --all` shows the ids.")


class NoDraft(RbpError):
    def __init__(self) -> None:
        super().__init__("There is no unfinished draft to resume. Start one with `rbp reflect`.")


class PromptSetNotFound(RbpError):
    def __init__(self, set_id: str, known: list[str]) -> None:
        super().__init__(
            f"No prompt set called {set_id!r}. Known sets: {', '.join(known)} (`rbp prompts list`)."
        )


class InvalidPromptSet(RbpError):
    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class InvalidAnswers(RbpError):
    """Answers (a file, stdin, the editor template) that cannot be stored as they are; nothing
    was saved. `problems` lists every one, each naming its key."""

    def __init__(self, problem: str, problems: list[str] | None = None) -> None:
        self.problem = problem.rstrip(".")
        self.problems = problems or [self.problem]
        super().__init__(f"{self.problem}. Nothing was saved.")

    @classmethod
    def of(cls, problems: list[str], where: str = "") -> InvalidAnswers:
        """One error for every problem found, the first few in its sentence."""
        lead = f"{where}: " if where else ""
        if len(problems) == 1:
            return cls(lead + problems[0], problems)
        return cls(f"{lead}{len(problems)} problems: " + "; ".join(problems), problems)


class UnreadableFile(RbpError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"Cannot read {name} ({reason}).")


class OutputIsJournal(RbpError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"--output {path} is the journal or one of its own files (its -wal, -shm or "
            "backups); choose another file."
        )


class NotAnExport(RbpError):
    """A file given to `rbp import` that is not what it was said to be; nothing was stored."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem.rstrip('.')}. Nothing was saved.")


class UnknownFramework(RbpError):
    """A bundled CPD framework that cannot be read: a broken installation."""


class JournalUnusable(RbpError):
    """The journal file cannot be used; it has not been written to."""


class NotAJournal(JournalUnusable):
    def __init__(self, path: Path, what: str) -> None:
        super().__init__(
            f"{path} {what}, so rbp will not touch it. Point --db (or RBP_DB) at your "
            "journal, or move this file aside."
        )


class JournalDamaged(JournalUnusable):
    def __init__(self, path: Path, what: str) -> None:
        super().__init__(
            f"{path} {what}, so rbp will not write to it. Keep a copy, then put back a backup "
            f"with `rbp restore` (backups are in {path.absolute().parent / 'backups'})."
        )


class NewerJournal(JournalUnusable):
    def __init__(self, path: Path, unknown: list[str]) -> None:
        super().__init__(
            f"{path} was written by a newer rbp (schema step {unknown[0]} is unknown here); "
            "upgrade rbp with `python -m pip install -U rbp-journal` to open it."
        )


class NoJournal(JournalUnusable):
    """A command that only reads, or changes what is there, found no journal: it never makes
    one (a mistyped RBP_DB must not become a new empty journal)."""

    def __init__(self, path: Path) -> None:
        folder = path.absolute().parent
        where = "" if folder.is_dir() else f" (the folder {folder} does not exist either)"
        super().__init__(
            f"There is no journal at {path}{where}. Check --db or RBP_DB; "
            "`rbp reflect` starts a new one."
        )


class JournalBusy(RbpError):
    """Another rbp held the journal for longer than this one waits."""

    def __init__(self, path: Path, doing: str, exclusive: bool) -> None:
        if exclusive:
            message = (
                f"Another rbp still has {path} open (perhaps a reflection waiting for an "
                "answer); finish or close it, then try again. Nothing was changed."
            )
        else:
            message = (
                f"Another rbp is still {doing or 'replacing'} {path}; try again when it has "
                "finished. Nothing was changed."
            )
        super().__init__(message)


class JournalLocked(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} stayed locked by another program (another rbp, or a database tool left "
            "mid-change) for too long; close it, or try again in a moment. Nothing was changed."
        )


class StorageFailed(RbpError):
    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Could not write to {path}: {reason}.")


class JournalChanged(StorageFailed):
    """The file was replaced (by another rbp's restore or encrypt) while this one had it open."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "another rbp replaced it while this one had it open; run this again")


class SearchSyntax(RbpError):
    """FTS5 could not parse a query; the domain retries it as plain words."""


class IdentifyingDetails(RbpError):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} identifying detail{'s' if count != 1 else ''} found and --strict was given; "
            "nothing was saved. Remove them, or use --mask."
        )


def is_database_error(error: BaseException) -> bool:
    """An error of SQLite itself, from the standard sqlite3 or from sqlcipher3's copy of it
    (whose classes share the names but not the ancestry)."""
    return any(
        cls.__name__ == "DatabaseError" and cls.__module__ in {"sqlite3", "sqlcipher3.dbapi2"}
        for cls in type(error).__mro__
    )


Locate = Callable[[list[str | int]], str]


def problems(error: ValidationError, top: str = "the top level", locate: Locate | None = None,
             unknown: str = "key") -> list[str]:  # fmt: skip
    """Every problem of a pydantic validation error, each as `where: what` in plain words.

    `locate` names a place the way a person reads the file (default: dotted keys)."""
    found = []
    for problem in error.errors():
        loc = [p for p in problem["loc"] if not str(p).startswith("function-")]
        where = locate(loc) if locate else ".".join(str(p) for p in loc)
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = f"is not a known {unknown}"
        elif problem["type"] == "missing":
            message = "is missing"
        found.append(f"{where or top}: {message}")
    return found


def first_problem(error: ValidationError, top: str = "the top level",
                  locate: Locate | None = None, unknown: str = "key") -> str:  # fmt: skip
    """The first problem of a validation error, with a count of the others."""
    every = problems(error, top, locate, unknown)
    more = len(every) - 1
    return every[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
