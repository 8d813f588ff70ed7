"""The `rbp` command: the root app, its global options, and the error boundary.

Command modules are thin: parse, call the domain, render. Each imports what it needs inside
its functions, so `rbp --help` and `rbp --version` cost little more than Typer itself.
The boundary below turns an RbpError (or an SQLite failure) into one sentence on stderr.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from rbp_journal import __version__
from rbp_journal.cli import (
    browse,
    common,
    cpd,
    doctor,
    locking,
    names,
    portability,
    prompts,
    protect,
    reflect,
    supervision,
)
from rbp_journal.errors import RbpError, is_database_error


class RbpGroup(TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RbpError as error:
            fail(str(error), error.exit_code)
        except BrokenPipeError:
            # the reader went away (`rbp export | head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except OSError as error:
            fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "), 1)
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
    common.state["db"] = db


reflect.register(app)
browse.register(app)
supervision.register(app)
portability.register(app)
protect.register(app)
app.add_typer(prompts.app, name="prompts")
doctor.register(app)
locking.register(app)
cpd.register(app)
names.register(app)  # issue 18: the caseload the privacy guard holds keyed
