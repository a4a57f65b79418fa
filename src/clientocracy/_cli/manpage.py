"""The clientocracy(1) manual page, in roff, generated from the command's own parser.

`clientocracy man` prints it; `clientocracy man | man -l -` reads it, and
saving it as `clientocracy.1` in a `man1` folder on `MANPATH` installs it.
"""

from __future__ import annotations

import argparse
import re

from .._version import __version__
from .completion import Argument, commands

__all__ = ["manual_page"]

_ENVIRONMENT = (
    (
        "CLIENTOCRACY_PAGER, PAGER",
        "The pager for long output on a terminal (default: less, if installed). "
        "An empty value or cat turns paging off; so does --no-pager.",
    ),
    ("LESS", "Options for less; FRX unless set."),
    (
        "CLIENTOCRACY_BIDI",
        "Set to 1 (or true, yes, on) for the effect of --bidi: reorder right-to-left text for "
        "terminals that do not (xterm, tmux, screen, the Linux console).",
    ),
    ("NO_COLOR", "When set, nothing is printed in colour or bold."),
    ("COLUMNS", "The width of the terminal, when it cannot be asked."),
)

_EXIT_STATUS = (
    ("0", "Success."),
    ("1", "No story matched, or validate found problems."),
    ("2", "A usage error, or a value that names nothing."),
)


def _roff(text: str) -> str:
    """Escape *text* for roff: backslashes, hyphens, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.MULTILINE)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block]


def _option(argument: Argument) -> list[str]:
    flags = ", ".join(f"\\fB{_roff(flag)}\\fR" for flag in argument.flags)
    if argument.takes_value:
        flags += f" \\fI{_roff(argument.metavar)}\\fR"
    return [".TP", flags, _roff(argument.help)]


def _example_block(epilog: str) -> list[str]:
    return [".PP", ".nf", ".RS 4", _roff(epilog.rstrip()), ".RE", ".fi"] if epilog else []


def manual_page(parser: argparse.ArgumentParser) -> str:
    """The manual page of *parser*'s program as roff source (section 1)."""
    program, *subs = commands(parser)
    summary = _paragraphs(program.description)
    lines = [
        f'.TH CLIENTOCRACY 1 "" "clientocracy {__version__}" "User Commands"',
        ".SH NAME",
        "clientocracy \\- " + _roff(summary[0].split(",")[0].rstrip(".").lower()),
        ".SH SYNOPSIS",
        ".B clientocracy",
        "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]",
        ".SH DESCRIPTION",
    ]
    for paragraph in summary:
        lines += [".PP", _roff(paragraph)]
    lines.append(".SH OPTIONS")
    for argument in program.arguments:
        lines += _option(argument)
    lines.append(".SH COMMANDS")
    for command in subs:
        lines += [f'.SS "{_roff(command.name)}"', ".PP", _roff(command.usage)]
        lines += [".PP", _roff(command.description)]
        for argument in command.arguments:
            if argument.flags in (("-h", "--help"),):
                continue
            if argument.flags:
                lines += _option(argument)
            else:
                lines += [".TP", f"\\fI{_roff(argument.metavar)}\\fR", _roff(argument.help)]
        lines += _example_block(command.epilog)
    lines.append(".SH EXAMPLES")
    lines += _example_block(program.epilog.removeprefix("examples:\n"))
    lines.append(".SH ENVIRONMENT")
    for name, meaning in _ENVIRONMENT:
        lines += [".TP", f"\\fB{_roff(name)}\\fR", _roff(meaning)]
    lines.append(".SH EXIT STATUS")
    for code, meaning in _EXIT_STATUS:
        lines += [".TP", f"\\fB{code}\\fR", meaning]
    lines += [
        ".SH SEE ALSO",
        "The documentation site, built from the repository with "
        "\\fBpython \\-m mkdocs build\\fR, and "
        "\\fBclientocracy completion\\fR for shell completion.",
        "",
    ]
    return "\n".join(lines)
