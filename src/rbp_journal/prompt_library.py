"""Prompt sets: the bundled ones shipped inside the package and the user's own.

Bundled sets live in the top-level `prompts/` folder, which the wheel carries as
`rbp_journal/data/prompts` (read through importlib.resources, see resources.py). The user's sets in `<config dir>/prompts/*.toml` add to them or replace
one by id. Each file is validated on its own, so one broken file is reported (path and field)
while every other set still loads.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rbp_journal import paths, resources
from rbp_journal.errors import InvalidPromptSet, PromptSetNotFound, first_problem
from rbp_journal.models.prompts import PromptSet

# the whole library as read: the sets by id, where each came from, the files that failed
_Read = tuple[dict[str, PromptSet], dict[str, str], list[InvalidPromptSet]]


class Library:
    """The prompt sets by id, read when first asked for: `get` of a bundled set reads that one
    file (bundled files are named after their sets) when the user has no sets of their own,
    so `reflect --answers` parses one TOML file, not seven; `sets`, `origins` and `problems`
    read everything, bundled sets first, then the user's."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir if user_dir is not None else paths.user_prompts_dir()
        self._one: dict[str, PromptSet] = {}
        self._all: _Read | None = None

    @property
    def sets(self) -> dict[str, PromptSet]:
        return self._everything()[0]

    @property
    def origins(self) -> dict[str, str]:
        """Where each set came from: "bundled", or the user's file."""
        return self._everything()[1]

    @property
    def problems(self) -> list[InvalidPromptSet]:
        return self._everything()[2]

    def get(self, set_id: str) -> PromptSet:
        found = self.find(set_id)
        if found is None:
            raise PromptSetNotFound(set_id, sorted(self.sets))
        return found

    def find(self, set_id: str) -> PromptSet | None:
        """The set `set_id`, or None when there is none."""
        if self._all is None and set_id not in self._one and _FILE_NAME.fullmatch(set_id):
            item = resources.bundled("prompts").joinpath(f"{set_id}.toml")
            if not self._user_files() and item.is_file():
                with suppress(InvalidPromptSet):  # said, with the others, by `problems`
                    found = _read_bundled(item)
                    if found.id == set_id:
                        self._one[set_id] = found
        if set_id in self._one:
            return self._one[set_id]
        return self.sets.get(set_id)

    def _user_files(self) -> list[Path]:
        folder = self.user_dir
        return sorted(folder.glob("*.toml")) if folder.is_dir() else []

    def _everything(self) -> _Read:
        if self._all is None:
            self._all = {}, {}, []
            for bundled in resources.bundled_files("prompts"):
                _add(self._all, partial(_read_bundled, bundled), "bundled")
            for path in self._user_files():
                _add(self._all, partial(read, path), str(path))
        return self._all


_FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # a set id that can name a bundled file


def load(user_dir: Path | None = None) -> Library:
    """Bundled sets, then the user's, which win on a shared id (each read when first needed)."""
    return Library(user_dir)


def _read_bundled(item: Traversable) -> PromptSet:
    return parse(item.read_text("utf-8"), f"prompts/{item.name}")


def _add(library: _Read, reader: Callable[[], PromptSet], origin: str) -> None:
    sets, origins, problems = library
    try:
        prompt_set = reader()
    except InvalidPromptSet as problem:
        problems.append(problem)
        return
    sets[prompt_set.id] = prompt_set
    origins[prompt_set.id] = origin


def read(path: Path) -> PromptSet:
    """Read and validate one prompt-set file, or say exactly what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidPromptSet(path, f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidPromptSet(path, "is not UTF-8 text") from None
    return parse(text, path)


def parse(text: str, name: Path | str) -> PromptSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidPromptSet(name, f"is not valid TOML ({error})") from None
    except RecursionError:
        raise InvalidPromptSet(name, "nests deeper than rbp reads") from None
    try:
        return PromptSet.model_validate(data)
    except ValidationError as error:
        raise InvalidPromptSet(name, explain(error, data)) from None


def explain(error: ValidationError, data: dict[str, Any]) -> str:
    """The first problem of a validation error, located the way a person reads the file."""

    def locate(loc: list[str | int]) -> str:
        where = "the set"
        if len(loc) >= 2 and loc[0] == "prompts" and isinstance(loc[1], int):
            index = loc[1]
            prompts = data.get("prompts") or []
            item = prompts[index] if isinstance(prompts, list) and index < len(prompts) else None
            pid = item.get("id") if isinstance(item, dict) else None
            where = f"prompt {index + 1}" + (f" ({pid!r})" if isinstance(pid, str) else "")
            loc = loc[2:]
        fields = ".".join(str(part) for part in loc)
        return f"field `{fields}` of {where}" if fields else where

    return first_problem(error, locate=locate, unknown="field")
