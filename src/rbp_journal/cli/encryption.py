"""`rbp encrypt`, `rbp decrypt` and `rbp passphrase`: a journal only its owner can open."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from rbp_journal import encryption
from rbp_journal.cli import ask, common
from rbp_journal.errors import UsageError
from rbp_journal.journal.cipher import AlreadyEncrypted

REMEMBER = typer.Option(
    "--remember",
    help="Also keep the passphrase in the system keyring (needs the keyring package).",
)


app = typer.Typer(rich_markup_mode=None)


@app.command("encrypt", epilog="Examples:\n\n  rbp encrypt\n\n  rbp encrypt --remember")
def encrypt(remember: Annotated[bool, REMEMBER] = False) -> None:
    """Encrypt the journal (and rbp's backups of it) with a passphrase, using SQLCipher.

    With no journal yet, this starts a new, encrypted one.
    """
    j = common.journal(create=True)
    encryption.driver(j.path)  # say how to install the extra before asking anything
    if j.store.key is not None:  # encrypted, perhaps with files left plain by a crash
        finished = j.cipher.encrypt_beside()
        if not finished:
            raise AlreadyEncrypted(j.path)
        common.say(
            f"{j.path} was already encrypted; encrypted the {_files(finished)} left "
            "in plain text beside it.",
            style="green",
        )
        return
    secret = _new_passphrase()
    beside = j.cipher.encrypt(secret, remember=remember)
    also = f" and the {_files(beside)} beside it" if beside else ""
    common.say(
        f"Encrypted {j.path}{also}. Keep the passphrase safe: without it the journal "
        "cannot be opened by anyone, you included.",
        style="green",
    )


def _files(found: list[Path]) -> str:
    return f"{len(found)} rbp file{'s' if len(found) != 1 else ''}"


@app.command("decrypt", epilog="Example:\n\n  rbp decrypt")
def decrypt(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Store the journal unencrypted again (its backups stay encrypted)."""
    j = common.journal()
    if not yes:
        ask.confirm(f"Store {j.path} unencrypted, readable by anyone with the disk?")
    j.cipher.decrypt()
    common.say(f"{j.path} is no longer encrypted.")


@app.command("passphrase", epilog="Example:\n\n  rbp passphrase")
def passphrase(remember: Annotated[bool, REMEMBER] = False) -> None:
    """Change the journal's passphrase (and that of its encrypted backups)."""
    j = common.journal()
    changed, left = j.cipher.change_passphrase(_new_passphrase(), remember=remember)
    also = f" and of the {_files(changed)} beside it" if changed else ""
    common.say(f"Changed the passphrase of {j.path}{also}.", style="green")
    for other in left:
        common.say(
            f"{other} is encrypted with another passphrase and was left as it is.",
            style="yellow",
        )


def _new_passphrase() -> str:
    """A new passphrase: from RBP_NEW_PASSPHRASE_FILE for scripts, else typed twice."""
    if os.environ.get("RBP_NEW_PASSPHRASE_FILE"):
        return encryption.read_passphrase_file(os.environ["RBP_NEW_PASSPHRASE_FILE"])
    if not (sys.stdin.isatty() or sys.stderr.isatty()):
        raise UsageError(
            "There is no terminal to type a new passphrase: set RBP_NEW_PASSPHRASE_FILE to a "
            "file that holds it."
        )
    while True:
        first = common.read_secret("New passphrase: ")
        if len(first) < 8:
            common.say("Use at least 8 characters; a few unrelated words are easy to remember.")
            continue
        if common.read_secret("The same again: ") == first:
            return first
        common.say("The two did not match; once more.", style="yellow")
