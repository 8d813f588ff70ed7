"""The one way a stored value reaches the screen: as Rich `Text`, never parsed as markup (a
`[bold]` or `[link=…]` a person typed stays those characters) and with every control
character shown as its picture (text.visible), so no escape sequence a person stored can
retitle a window, clear the screen or write a link. Every renderable built from what a person
wrote, or from a file they gave rbp, goes through `plain` or `assemble`."""

from __future__ import annotations

from rich.text import Text

from rbp_journal.text import visible


def plain(value: object, style: str = "") -> Text:
    """A stored value as text for the screen, styled as a whole."""
    return Text(visible(str(value)), style=style)


def assemble(*parts: str | tuple[str, str]) -> Text:
    """Pieces of text, each a string or (string, style), made safe one by one."""
    return Text.assemble(
        *(visible(part) if isinstance(part, str) else (visible(part[0]), part[1]) for part in parts)
    )
