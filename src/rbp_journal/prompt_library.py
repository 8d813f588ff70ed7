"""Prompt sets: the bundled ones shipped inside the package and the user's own.

Bundled sets live in the top-level `prompts/` folder, which the wheel carries as
`rbp_journal/data/prompts` (read through importlib.resources, see resources.py). The user's sets in `<config dir>/prompts/*.toml` add to them or replace
one by id. Each file is validated on its own, so one broken file is reported (path and field)
while every other set still loads.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rbp_journal import paths, resources
from rbp_journal.errors import InvalidPromptSet, PromptSetNotFound, first_problem
from rbp_journal.models.prompts import PromptSet


@dataclass
class Library:
    sets: dict[str, PromptSet] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # "bundled", or the user's file
    problems: list[InvalidPromptSet] = field(default_factory=list)

    def get(self, set_id: str) -> PromptSet:
        try:
            return self.sets[set_id]
        except KeyError:
            raise PromptSetNotFound(set_id, sorted(self.sets)) from None


def load(user_dir: Path | None = None) -> Library:
    """Load bundled sets, then the user's, which win on a shared id."""
    library = Library()
    for bundled in resources.bundled_files("prompts"):
        _add(library, partial(_read_bundled, bundled), "bundled")
    folder = user_dir if user_dir is not None else paths.user_prompts_dir()
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        _add(library, partial(read, path), str(path))
    return library


def _read_bundled(item: Traversable) -> PromptSet:
    return parse(item.read_text("utf-8"), f"prompts/{item.name}")


def _add(library: Library, reader: Callable[[], PromptSet], origin: str) -> None:
    try:
        prompt_set = reader()
    except InvalidPromptSet as problem:
        library.problems.append(problem)
        return
    library.sets[prompt_set.id] = prompt_set
    library.origins[prompt_set.id] = origin


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
