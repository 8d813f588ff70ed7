"""The `rbp` command: the root app, its global options, the command table and the error boundary.

Commands are loaded on demand: the root knows each command's name, module and one-line help
(COMMANDS), and imports a command's module only when that command runs (or its completion or
help is asked for), so `rbp --help` costs little more than Typer itself and `rbp list` does not
build the parameters of thirty other commands. Command modules are thin: parse, call the
domain, render. The boundary below turns an RbpError (or an SQLite failure) into one
sentence on stderr.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from rbp_journal import __version__
from rbp_journal.errors import RbpError, is_database_error
from rbp_journal.launch import SIGPIPE_STATUS

# the global options, read by common.journal(); kept here so that `rbp --help` loads nothing
# of the commands' shared code
state: dict[str, str | None] = {"db": None}

# name: (module in rbp_journal.cli, one-line help). A module's `app` holds its commands; for a
# group (cpd, prompts, followups) the module's app is the group itself.
COMMANDS: dict[str, tuple[str, str]] = {
    "reflect": ("reflect", "Reflect on a session, one question at a time; prints the new id."),
    "list": ("reflections", "List reflections, newest first."),
    "show": ("reflections", "Show one reflection in full."),
    "edit": (
        "change",
        "Edit a reflection in $EDITOR, as the template `reflect --editor` uses.",
    ),
    "delete": (
        "change",
        "Delete a reflection with its answers, tags, promises and index entries.",
    ),
    "search": ("search", "Search what you wrote, best matches first."),
    "review": ("review", "Review a period for supervision: themes, flags, promises and an agenda."),
    "trends": ("trends", "Show theme ratings week by week, with sparklines."),
    "followups": ("followups", "What I promised and have not done yet, overdue first."),
    "export": ("export", "Export reflections as markdown, JSON, JSON lines or CSV."),
    "import": (
        "imports",
        "Import reflections from an rbp JSON/JSONL export or a jrnl JSON export.",
    ),
    "scan": (
        "privacy",
        "Check stored reflections for identifying details, and mask them if you choose.",
    ),
    "clients": ("privacy", "List the client codes in use, with how often and when last seen."),
    "names": ("names", "The names of the people you work with, held keyed for the guard."),
    "prompts": ("prompts", "See the prompt sets, or check one you wrote."),
    "cpd": ("cpd", "CPD records for your registration: built from reflections, ready to paste."),
    "doctor": (
        "upkeep",
        "Check the journal: its path, schema version, integrity, counts and backups.",
    ),
    "backup": ("upkeep", "Write a consistent copy of the journal, even while another rbp writes."),
    "restore": (
        "upkeep",
        "Put a backup back in place of the journal; the current file is kept aside.",
    ),
    "purge": ("upkeep", "Delete old reflections for good: overwritten, and the file compacted."),
    "encrypt": ("encryption", "Encrypt the journal (and rbp's backups of it) with a passphrase."),
    "decrypt": ("encryption", "Store the journal unencrypted again (its backups stay encrypted)."),
    "passphrase": (
        "encryption",
        "Change the journal's passphrase (and that of its encrypted backups).",
    ),
}
GROUPS = frozenset({"followups", "prompts", "cpd", "names"})


# click's types are Any below: Typer 0.29 vendors its own copy of click, earlier ones use click.
def load(name: str) -> Any:
    """The click command `name`, built from its module on first use."""
    if name not in COMMANDS:
        return None
    module = importlib.import_module(f"rbp_journal.cli.{COMMANDS[name][0]}")
    group = typer.main.get_group(module.app)
    if name in GROUPS:
        group.name = name
        return group
    return group.commands.get(name)


class RbpGroup(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return load(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            common = sys.modules.get("rbp_journal.cli.common")
            if common is not None:  # loaded by every command that opens a journal
                common.close_journals()

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RbpError as error:
            fail(str(error), error.exit_code)
        except BrokenPipeError:
            # the reader went away (`rbp export | head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(SIGPIPE_STATUS) from None
        except OSError as error:
            fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "), 1)
        except OverflowError as error:  # a date or number past what Python's calendar holds
            fail(
                f"A date in that command falls outside the years 1 to 9999 ({error}); "
                "choose one nearer today.",
                2,
            )
        except Exception as error:  # SQLite's own, from sqlite3 or sqlcipher3
            if not is_database_error(error):
                raise
            fail(
                f"The journal could not be used ({error}); `rbp doctor` checks it and says "
                "how to recover.",
                1,
            )


def fail(message: str, code: int) -> None:
    sys.stderr.write(f"Error: {message}\n")
    raise typer.Exit(code)


app = typer.Typer(
    cls=RbpGroup,
    name="rbp",
    help="A reflective-practice journal for social workers.\n\n"
    "After a session: `rbp reflect`. Before supervision: `rbp review --week`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # plain help: Rich-formatted help doubled the cost of `rbp --help` (~330 ms → ~200 ms)
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"rbp {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="RBP_DB",
            metavar="PATH",
            help="The journal file (default: rbp's folder in your user data directory).",
            show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A reflective-practice journal for social workers.

    After a session: `rbp reflect`. Before supervision: `rbp review --week`.
    """
    state["db"] = db
