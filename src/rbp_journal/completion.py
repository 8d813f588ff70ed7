"""Shell completion of values — client codes, tags, prompt set ids, settings and formats —
answered before Typer, pydantic or sqlite-utils load, so a TAB costs about what the
interpreter's own start-up does (Typer's own completion of them took 0.3-0.5 s).

It reads the journal read-only through the standard library (a `mode=ro` URI, which never
creates a file), and a journal it cannot read (missing, encrypted, locked, damaged) completes
nothing. For bash, whose completion inserts a value as typed, each value is shell-quoted, so a
tag `a;b` is inserted as `'a;b'` and never runs `b`. Anything else (command and option names,
other shells) is left to Typer, which calls `values` for the journal's values.
"""

from __future__ import annotations

import os
import shlex
import sqlite3  # noqa: TID251 - completion reads the journal read-only before the store loads
import sys
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import closing

from rbp_journal import paths, resources

# the choices of each command's --format and of --setting; tests hold them to the commands'
SETTINGS = ("home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other")
FORMATS: dict[str, tuple[str, ...]] = {
    "export": ("markdown", "json", "jsonl", "csv"),
    "show": ("rich", "markdown", "json"),
    "review": ("rich", "markdown", "json", "html"),
    "trends": ("rich", "csv", "json"),
    "followups": ("rich", "json", "ics"),
    "cpd export": ("markdown", "json", "csv"),
}
FROM_JOURNAL = {"--client": "clients", "--tag": "tags"}
GROUPS = frozenset({"cpd", "prompts", "followups", "names"})
# options whose next word is their value, not a command
TAKES_VALUE = frozenset({"--db", "--client", "--tag", "--set", "--setting", "--format", "--since",
                         "--until", "--output", "-o", "-n", "--number", "--due", "--from",
                         "--year", "--weeks", "--theme", "--note", "--answers", "--date",
                         "--split", "--template"})  # fmt: skip


def answered(environ: Mapping[str, str] = os.environ) -> bool:
    """Answer a bash completion request for a value, if this is one; False leaves it to Typer."""
    if environ.get("_RBP_COMPLETE") != "complete_bash":
        return False
    words = split(environ.get("COMP_WORDS", ""))
    try:
        cword = int(environ.get("COMP_CWORD", ""))
    except ValueError:
        return False
    found = candidates(words[:cword], words[cword] if cword < len(words) else "")
    if found is None:
        return False
    sys.stdout.write("".join(shlex.quote(value) + "\n" for value in found))
    return True


def candidates(before: list[str], incomplete: str) -> list[str] | None:
    """The values that complete `incomplete` after the words `before`, or None when the word
    is not a value rbp completes here."""
    command, db = _command(before[1:])
    previous = before[-1] if len(before) > 1 else ""
    if previous in FROM_JOURNAL:
        pool = values(FROM_JOURNAL[previous], db)
    elif previous == "--set" or (command == "prompts show" and previous == "show"):
        pool = values("sets", db)
    elif previous == "--setting":
        pool = list(SETTINGS)
    elif previous == "--format" and command in FORMATS:
        pool = list(FORMATS[command])
    else:
        return None
    unquoted = incomplete.lstrip("'\"")
    return [value for value in pool if value.startswith(unquoted)]


def _command(words: list[str]) -> tuple[str, str | None]:
    """The command (with its subcommand for a group) and the --db given before it."""
    names: list[str] = []
    db = None
    index = 0
    while index < len(words):
        word = words[index]
        if word in TAKES_VALUE and index + 1 < len(words):
            db = words[index + 1] if word == "--db" else db
            index += 2
            continue
        if not word.startswith("-") and (not names or (names[0] in GROUPS and len(names) < 2)):
            names.append(word)
        index += 1
    return " ".join(names), db


def values(kind: str, db: str | None = None) -> list[str]:
    """Client codes or tags in the journal, or prompt set ids; [] for what cannot be read."""
    if kind == "sets":
        return sorted(set(_set_ids()))
    query = {
        "clients": "SELECT DISTINCT client FROM reflections WHERE client IS NOT NULL",
        "tags": "SELECT name FROM tags",
    }[kind]
    path = paths.journal_path(db)
    if not path.is_file():
        return []
    try:
        uri = f"{path.absolute().as_uri()}?mode=ro"  # read-only: never creates or writes
        with closing(sqlite3.connect(uri, uri=True, timeout=0.05)) as conn:
            return sorted(str(row[0]) for row in conn.execute(query))
    except sqlite3.Error:
        return []


def _set_ids() -> Iterator[str]:
    user = paths.user_prompts_dir()
    mine = sorted(user.glob("*.toml")) if user.is_dir() else []
    files = [*resources.bundled_files("prompts"), *mine]
    for file in files:
        try:
            set_id = tomllib.loads(file.read_text(encoding="utf-8")).get("id")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(set_id, str):
            yield set_id


def split(line: str) -> list[str]:
    """Words as the shell split them, a last unclosed quote taken as closed."""
    for quote in ("", '"', "'"):
        try:
            words = shlex.split(line + quote)
        except ValueError:
            continue
        return [*words, ""] if line[-1:].isspace() else words
    return line.split()
