"""The `clientocracy` command: parse the arguments, load the corpus, run a command.

A thin layer over the public API: every query goes through
`Corpus`; the modules of this package only parse
arguments and print. Modules a command does not need are imported inside
that command, so that `clientocracy show ID` starts about as fast as
Python itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from .._errors import UnknownValueError
from .common import (
    EXIT_BROKEN_PIPE,
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    fail,
    stderr_output,
    stdout_output,
    terminal_size,
    warn,
)
from .i18n import _, listed, quoted
from .parser import build_parser

# typing is left unimported at run time: `--version` and `--help` start faster.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

    from .._corpus.corpus import Corpus
    from .output import Output


# The module that runs each command, imported only when the command runs:
# `--version` and `--help` need none of them, nor the records.
_COMMANDS = {
    "list": "reading",
    "search": "reading",
    "show": "reading",
    "random": "reading",
    "companies": "reading",
    "principles": "reading",
    "languages": "reading",
    "export": "files",
    "handout": "files",
    "validate": "files",
    "completion": "files",
    "man": "files",
    "build": "files",
    **dict.fromkeys(
        ("new", "add-language", "add-company", "add-source", "add-principle", "add-story",
         "align", "add-translation", "repair", "import-csv"),
        "authoring",
    ),
}  # fmt: skip


def _command(name: str) -> Callable[[Corpus, argparse.Namespace, Output, Output], int]:
    """The function that runs the command *name*."""
    import importlib

    module = importlib.import_module(f".{_COMMANDS[name]}", __package__)
    run: Callable[[Corpus, argparse.Namespace, Output, Output], int] = getattr(
        module, "cmd_" + name.replace("-", "_")
    )
    return run


# The commands whose output may be long enough to page (export only to stdout).
_PAGED = frozenset(("list", "search", "show", "random", "companies", "principles", "languages"))

# Output that is data for a program, never reordered for display.
_RAW = frozenset(("export", "handout", "completion", "man", "align"))


def _reorders(args: argparse.Namespace) -> bool:
    """Whether to reorder right-to-left text: asked for, and output for reading, not data."""
    return bool(args.bidi) and args.command not in _RAW and not getattr(args, "json", False)


_LISTING_COMMANDS = {
    "company": "clientocracy companies",
    "principle": "clientocracy principles",
    "language": "clientocracy languages",
    "story": "clientocracy list",
}


def _corpus(args: argparse.Namespace, err: Output) -> Corpus:
    """The bundled corpus (unless --no-bundled) merged with every --corpus.

    A compiled file given alone is used as it is: `build` already decided
    whether the bundled stories are in it, and merging would read it whole.
    """
    from .._corpus.corpus import Corpus

    paths = [*args.corpus, *getattr(args, "corpus_after", ())]
    if args.command == "build":
        paths += args.paths
    if not paths:  # the bundled stories alone: nothing compiled, nothing stale to warn of
        if args.no_bundled:
            return Corpus(languages=(), companies=(), principles=(), sources=(), stories=())
        return Corpus.bundled()
    import warnings

    from .._stores.compiled import StaleCorpusWarning, looks_like_sqlite

    compiled = {path for path in paths if os.path.isfile(path) and looks_like_sqlite(path)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StaleCorpusWarning)
        if args.command != "build" and len(paths) == 1 and compiled:
            corpora = [Corpus.load(paths[0])]
        else:
            bundled = Corpus.bundled()
            corpora = [] if args.no_bundled else [bundled]
            corpora += [
                Corpus.load(path) if path in compiled else Corpus.load(path, base=bundled)
                for path in paths
            ]
    for warning in caught:
        stale = warning.message
        if isinstance(stale, StaleCorpusWarning):
            # On the command line the advice names the command, not the API.
            warn(
                err,
                _(
                    "{file} was built from {catalogs}, which changed since; "
                    "run 'clientocracy build' again to see the changes"
                ).format(file=stale.path, catalogs=listed(list(stale.changed))),
            )
    if len(corpora) == 1:
        return corpora[0]
    if not corpora:
        return Corpus(languages=(), companies=(), principles=(), sources=(), stories=())
    return corpora[0].merge(*corpora[1:])


# Whether `run` paused the cyclic garbage collector for the start-up.
_collector_paused = False


def run() -> NoReturn:
    """The `clientocracy` command itself: `main()` on `sys.argv`, then exit with its status.

    A command is a short-lived process. Until its corpus is loaded it makes
    objects that live as long as it does (modules, classes, records), which
    the cyclic garbage collector would walk again and again for nothing: it
    is paused until then. When the command is done, what is left is frozen,
    so that the interpreter's last collection does not walk every object
    once more just before the process ends and its memory is released.
    """
    import gc

    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True
    status = main()
    gc.freeze()
    sys.exit(status)


def _start_up_done() -> None:
    """Resume the collector `run` paused, leaving out what the start-up made."""
    global _collector_paused
    if _collector_paused:
        import gc

        gc.freeze()
        gc.enable()
        _collector_paused = False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `clientocracy` command with *argv* (default: `sys.argv[1:]`).

    Returns the exit status: 0 on success, 1 when no story matches, 2 for a
    usage error, a value that names nothing or output that cannot be
    written, 130 when interrupted (Ctrl-C), 141 when the reader of a pipe
    goes away. Whatever the arguments and environment, it prints a message,
    never a traceback.
    """
    from .output import OutputError

    try:
        try:
            status = _main(argv)
        except SystemExit as exit:  # from argparse: --help, --version, usage errors
            status = EXIT_OK if exit.code is None else EXIT_USAGE
            if isinstance(exit.code, int):
                status = exit.code
        # Flushed here, not by the interpreter at exit, so that a full disk
        # is reported like any other failure to write.
        stdout_output().flush()
        return status
    except BrokenPipeError:
        return _abandon_stdout(EXIT_BROKEN_PIPE)
    except KeyboardInterrupt:
        stderr_output().line(f"{PROG}: " + _("interrupted"))
        return _abandon_stdout(EXIT_INTERRUPTED)
    except OutputError as error:
        fail(stderr_output(), str(error))
        return _abandon_stdout(EXIT_USAGE)
    except Exception as error:  # a bug; say so in one line rather than a traceback
        stderr_output().line(
            f"{PROG}: "
            + _(
                "internal error: {error}. Please report it, with the command that caused it."
            ).format(error=f"{type(error).__name__}: {error}")
        )
        return _abandon_stdout(EXIT_BUG)


def _main(argv: Sequence[str] | None) -> int:
    # A terminal or pipe that cannot encode a character gets a replacement
    # character rather than a UnicodeEncodeError half-way through the output.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")

    arguments = sys.argv[1:] if argv is None else list(argv)
    command = _command_name(arguments)
    if command is None and _only_global_options(arguments):
        # No command: what the program does and how to go on. An option that
        # is not one of the program's goes to the parser, which names it.
        from .parser import short_help

        stdout_output().write(short_help())
        return EXIT_USAGE
    parser = build_parser(only=command if command in _COMMANDS or command == "help" else None)
    args = parser.parse_args(arguments)
    if args.command == "help":
        return _help(args.topic)
    return _run(args, stderr_output())


def _only_global_options(arguments: Sequence[str]) -> bool:
    """Whether *arguments* are only options of the program itself (and their values)."""
    value_next = False
    for argument in arguments:
        if value_next:
            value_next = False
        elif argument == "--corpus":
            value_next = True
        elif argument not in ("--no-bundled", "--no-pager", "--bidi") and not (
            argument.startswith("--corpus=")
        ):
            return False
    return True


def _help(topic: str | None) -> int:
    """`clientocracy help [COMMAND]`: the help of the program or of one command."""
    from .parser import command_names

    if topic is None:
        build_parser().parse_args(["--help"])
    elif topic in command_names():
        build_parser(only=topic).parse_args([topic, "--help"])
    from .._normalize import close_matches

    close = close_matches(topic or "", command_names(), 1)
    message = _("there is no command {name}.").format(name=quoted(topic or ""))
    if close:
        message += " " + _("Did you mean {names}?").format(names=quoted(close[0]))
    see = _("Run '{command}' to see them all.").format(command=f"{PROG} help")
    return fail(stderr_output(), f"{message}\n{see}")


def _command_name(arguments: Sequence[str]) -> str | None:
    """The first word that is neither an option nor an option's value."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument == "--corpus":
            skip = True
        elif not argument.startswith("-"):
            return argument
    return None


def _run(args: argparse.Namespace, err: Output) -> int:
    import contextlib

    from .output import one_line

    # Decided before a pager takes over standard output: what matters is
    # whether the user looks at a terminal, and how wide it is.
    out = stdout_output()
    args.fit_width = terminal_size().columns if out.terminal else None
    page = (
        out.terminal
        and not args.no_pager
        and (
            args.command in _PAGED
            or (args.command in ("export", "handout") and args.output is None)
        )
    )
    # With standard output closed there is nothing to page or reorder: the
    # first line written reports it.
    reorder = _reorders(args) and sys.stdout is not None
    if getattr(args, "output", None) == "":
        return fail(err, _("-o/--output needs a file name, not an empty string"))
    try:
        corpus = _corpus(args, err)
        _start_up_done()
        # The pager and the bidi display are imported only when they are
        # used: output to a file or a pipe, the everyday case of scripts,
        # starts faster without them.
        with contextlib.ExitStack() as display:
            if page:
                from .pager import paged

                display.enter_context(paged())
            if reorder:
                from .bidi import BidiUnavailableError, bidi_display

                try:
                    display.enter_context(bidi_display(True, args.fit_width))
                except BidiUnavailableError as error:
                    return fail(err, str(error))
            return _command(args.command)(corpus, args, out, err)
        return EXIT_OK  # the user quit the pager before the end
    except UnknownValueError as error:
        listing = _LISTING_COMMANDS.get(error.facet, f"{PROG} --help")
        see = _("Run '{command}' to see them all.").format(command=listing)
        from .errors import described  # only on an error: it costs start-up time

        return fail(err, f"{one_line(described(error))}\n{see}")
    # A story without text in the language asked for, an invalid corpus, a
    # value the library refuses (an overlong query): the library's message.
    except (LookupError, ValueError) as error:
        from .errors import described

        return fail(err, described(error))
    except BrokenPipeError:
        raise
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        return fail(err, f"{error.strerror or error}{where}")


def _abandon_stdout(status: int) -> int:
    # Nothing more can be written (the reader went away, the disk is full,
    # the user pressed Ctrl-C): point stdout at devnull, so that the
    # interpreter's final flush of what is still buffered is quiet too.
    if sys.stdout is not None:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
    return status
