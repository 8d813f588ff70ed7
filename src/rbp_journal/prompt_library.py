"""Prompt sets: the bundled ones shipped inside the package and the user's own.

Bundled sets live in the top-level `prompts/` folder, which the wheel carries as
`rbp_journal/prompts`. The user's sets in `<config dir>/prompts/*.toml` add to them or replace
one by id. Each file is validated on its own, so one broken file is reported (path and field)
while every other set still loads.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rbp_journal import paths
from rbp_journal.errors import InvalidPromptSet, PromptSetNotFound
from rbp_journal.models import PromptSet


@dataclass
class Library:
    sets: dict[str, PromptSet] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    problems: list[InvalidPromptSet] = field(default_factory=list)

    def get(self, set_id: str) -> PromptSet:
        try:
            return self.sets[set_id]
        except KeyError:
            raise PromptSetNotFound(set_id, sorted(self.sets)) from None


def bundled_dir() -> Path:
    packaged = Path(__file__).with_name("prompts")
    if packaged.is_dir():
        return packaged
    # An editable install runs from the checkout, where prompts/ sits at the top.
    return Path(__file__).resolve().parents[2] / "prompts"


def load(user_dir: Path | None = None) -> Library:
    """Load bundled sets, then the user's, which win on a shared id."""
    library = Library()
    folders = [bundled_dir(), user_dir if user_dir is not None else paths.user_prompts_dir()]
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                prompt_set = read(path)
            except InvalidPromptSet as problem:
                library.problems.append(problem)
                continue
            library.sets[prompt_set.id] = prompt_set
            library.origins[prompt_set.id] = path
    return library


def read(path: Path) -> PromptSet:
    """Read and validate one prompt-set file, or say exactly what is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidPromptSet(path, f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidPromptSet(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidPromptSet(path, f"is not valid TOML ({error})") from None
    try:
        return PromptSet.model_validate(data)
    except ValidationError as error:
        raise InvalidPromptSet(path, explain(error, data)) from None


def explain(error: ValidationError, data: dict[str, Any]) -> str:
    """The first problem of a validation error, located the way a person reads the file."""
    first = error.errors()[0]
    loc = list(first["loc"])
    where = "the set"
    if len(loc) >= 2 and loc[0] == "prompts" and isinstance(loc[1], int):
        index = loc[1]
        prompts = data.get("prompts") or []
        pid = prompts[index].get("id") if index < len(prompts) else None
        where = f"prompt {index + 1}" + (f" ({pid!r})" if isinstance(pid, str) else "")
        loc = loc[2:]
    fields = ".".join(str(part) for part in loc if not str(part).startswith("function-"))
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "is missing"
    elif first["type"] == "extra_forbidden":
        message = "is not a known field"
    target = f"field `{fields}` of {where}" if fields else where
    more = len(error.errors()) - 1
    extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{target}: {message}{extra}"
