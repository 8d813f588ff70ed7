"""The data the wheel carries: the bundled prompt sets and CPD frameworks.

They live at the top of the repository (`prompts/`, `frameworks/`); the wheel carries them as
`rbp_journal/data/prompts` and `rbp_journal/data/frameworks`, and a checkout reaches them
through symlinks in `src/rbp_journal/data/`, so both are read the same way, through
importlib.resources, whether rbp is installed from a wheel or runs from an editable install.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def bundled(folder: str) -> Traversable:
    """The bundled `prompts` or `frameworks` folder."""
    return files("rbp_journal.data").joinpath(folder)


def bundled_files(folder: str, suffix: str = ".toml") -> list[Traversable]:
    """The files of a bundled folder, by name."""
    found = [item for item in bundled(folder).iterdir() if item.name.endswith(suffix)]
    return sorted(found, key=lambda item: item.name)
