"""The ``narrator`` console script: a plain line of render, check or lint runs without typer.

A cold ``narrator render`` is mostly imports, and typer's (with its copy of click) was ~40 ms of
~250. A plain line of a hot command (:data:`narrator.commandline.hotcommands.HOT`) — known options, each
given once, ordinary values, the arguments all there: :mod:`narrator.commandline.quickargs` — is read from
the commands' own declarations and run here, with the handling typer's ``_main`` and
:func:`narrator.cli.main` give it. Any other line (help, a mistake, another command) goes to
:func:`narrator.cli.main`, so every message, help text and exit code of typer's stays its own.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from typing import Optional

from .commandline.hotcommands import EXIT_BAD_INPUT, HOT, echo


def run_plain(args: list[str]) -> Optional[int]:
    """The exit code of ``args`` (a command line without the program name) run without typer, or
    None when it is not a plain line of a hot command (and nothing was run)."""
    if not args or args[0] not in HOT or os.environ.get("_NARRATOR_COMPLETE"):
        return None
    from .commandline.quickargs import quick_arguments

    command = HOT[args[0]]
    call = quick_arguments(command, args[1:])
    if call is None:
        return None
    try:
        return command(**call)
    except EOFError:  # as typer's _main: a newline, then Abort (which narrator.cli.main ends with 130)
        echo(err=True)
        return 130
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        from .cli import pacify_streams  # a closed pipe: as typer's _main ends it

        pacify_streams()
        return 1


def _run_plain_caught(args: list[str]) -> Optional[int]:
    """:func:`run_plain` inside the command boundary of :func:`narrator.cli.main`: what escaped the
    command is a message (exit 2), never a traceback."""
    from .lastresort import caught, describe

    try:
        return run_plain(args)
    except caught() as error:
        echo(describe(error, args).format(), err=True)
        return EXIT_BAD_INPUT


def entry() -> None:
    """The console script and ``python -m narrator``: the command, then leave without teardown.

    Tearing the interpreter down (freeing every module, running finalizers) costs a cold
    command about half the time of its imports and does nothing a finished command needs:
    every output file is written and closed by then (narrator.document.output writes atomically), so
    stdout and stderr are flushed and the process ends with ``os._exit``. ``serve``, ``batch``
    and ``review`` (servers, worker processes) end the ordinary way. :func:`narrator.cli.main`
    itself still raises SystemExit, for callers in the same process (tests).

    ``render``, ``check`` and ``lint`` (one document each, the commands most often run cold) run
    without the cyclic garbage collector: its passes over the young objects a cold command makes
    by the hundred thousand cost 5–10 % of it, and the little cyclic garbage one document leaves
    goes with the process.
    """
    args = sys.argv[1:]
    if args[:1] and args[0] in HOT:
        gc.disable()
    try:
        code = _run_plain_caught(args)
        if code is None:
            from .cli import main

            main()
        sys.exit(code)
    except SystemExit as done:
        if args[:1] and args[0] in ("serve", "batch", "review"):
            raise
        code = done.code
        if code is not None and not isinstance(code, int):  # as the interpreter treats sys.exit("text")
            sys.stderr.write(f"{code}\n")
            code = 1
        regexcache = sys.modules.get("narrator.caches.regexcache")
        if regexcache is not None:  # the patterns compiled for the first time (an exit function otherwise)
            regexcache.keep()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe: let the interpreter report it as it would have
            raise done from None
        os._exit(code or 0)
