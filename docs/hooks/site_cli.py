"""The CLI reference as Markdown, from the command's argument parser.

A section per command: what it does, its usage, a table of its arguments
and one of its options, and its examples. The options every command takes
(the corpus and display options, which may come before or after the
command) are described once, at the top, instead of in each section.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator


def reference(parser: argparse.ArgumentParser) -> str:
    """The Markdown reference of *parser* and its commands."""
    # argparse wraps usage lines to the terminal's width; the page wraps them itself.
    os.environ["COLUMNS"] = "1000"
    commands = _commands(parser)
    shared = _shared_options(parser, commands)
    lines = [
        "## Synopsis",
        "",
        "```text",
        _usage(parser, shared, exclude_globals=False).rstrip(),
        "```",
        "",
        *_paragraphs(parser.description or ""),
        "",
        "## Global options",
        "",
        "These options are taken by every command, before or after its name.",
        "",
        *_table("Option", _rows(parser, [a for a in parser._actions if _is_option(a)])),
        "",
        "## Commands",
        "",
        "| Command | What it does |",
        "| --- | --- |",
    ]
    lines += [
        f"| [`{name}`](#{_anchor(name)}) | {_cell(help_)} |" for name, _sub, help_ in commands
    ]
    lines.append("")
    if parser.epilog:
        lines += _epilog(parser.epilog)
    for name, sub, help_ in commands:
        lines += _command(name, sub, help_, shared)
    return "\n".join(lines) + "\n"


def _commands(
    parser: argparse.ArgumentParser,
) -> list[tuple[str, argparse.ArgumentParser, str]]:
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    helps = {choice.dest: choice.help or "" for choice in subparsers._choices_actions}
    return [(name, sub, helps.get(name, "")) for name, sub in subparsers.choices.items()]


def _shared_options(
    parser: argparse.ArgumentParser,
    commands: list[tuple[str, argparse.ArgumentParser, str]],
) -> frozenset[str]:
    """The option strings that the program and every one of its commands take."""
    shared = {s for a in parser._actions if _is_option(a) for s in a.option_strings}
    for _name, sub, _help in commands:
        shared &= {s for a in sub._actions for s in a.option_strings}
    return frozenset(shared)


def _is_option(action: argparse.Action) -> bool:
    return bool(action.option_strings) and not isinstance(
        action, argparse._HelpAction | argparse._VersionAction
    )


def _usage(
    parser: argparse.ArgumentParser, shared: frozenset[str], *, exclude_globals: bool
) -> str:
    actions = [
        a
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction)
        and not (exclude_globals and set(a.option_strings) & shared)
    ]
    if exclude_globals:
        # Stands for the global options, described once at the top of the page.
        actions.insert(0, argparse.Action(["[global options]"], dest="globals", nargs=0))
    formatter = parser._get_formatter()
    formatter.add_usage(None, actions, parser._mutually_exclusive_groups, prefix="")
    return formatter.format_help().replace("[[global options]]", "[global options]")


def _command(
    name: str, sub: argparse.ArgumentParser, help_: str, shared: frozenset[str]
) -> list[str]:
    positionals = [a for a in sub._actions if not a.option_strings]
    options = [a for a in sub._actions if _is_option(a) and not set(a.option_strings) & shared]
    lines = [
        f"## {name} {{ #{_anchor(name)} }}",
        "",
        _sentence(help_),
        "",
        "```text",
        _usage(sub, shared, exclude_globals=True).rstrip(),
        "```",
        "",
    ]
    if positionals:
        lines += [*_table("Argument", _rows(sub, positionals)), ""]
    if options:
        lines += [*_table("Option", _rows(sub, options)), ""]
    lines += ["With the [global options](#global-options).", ""]
    if sub.epilog:
        lines += _epilog(sub.epilog)
    return lines


def _rows(
    parser: argparse.ArgumentParser, actions: list[argparse.Action]
) -> Iterator[tuple[str, str]]:
    formatter = parser._get_formatter()
    for action in actions:
        if action.option_strings:
            spelled = ", ".join(
                _code(_option(option, action, formatter)) for option in action.option_strings
            )
        else:
            spelled = _code(formatter._metavar_formatter(action, action.dest)(1)[0])
        help_ = formatter._expand_help(action) if action.help else ""
        sentences = [_sentence(help_)] if help_ else []
        if action.choices is not None:
            sentences.append("One of " + ", ".join(_code(str(c)) for c in action.choices) + ".")
        repeated = action.nargs in ("+", "*") or isinstance(action, argparse._AppendAction)
        if repeated and "repeatable" not in help_:
            sentences.append("Repeatable.")
        if action.required and action.option_strings:
            sentences.append("Required.")
        yield spelled, _cell(" ".join(sentences))


def _option(option: str, action: argparse.Action, formatter: argparse.HelpFormatter) -> str:
    if action.nargs == 0:
        return option
    if action.choices is not None and action.metavar is None:
        # The choices are listed in the description.
        return f"{option} {action.dest.upper()}"
    metavar = formatter._format_args(action, action.dest.upper())
    return f"{option} {metavar}"


def _table(head: str, rows: Iterator[tuple[str, str]]) -> list[str]:
    return [f"| {head} | Description |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows)]


def _epilog(epilog: str) -> list[str]:
    """The epilog's blocks: "examples:" and the like as code, the rest as prose."""
    lines: list[str] = []
    for block in epilog.strip("\n").split("\n\n"):
        first, _, rest = block.partition("\n")
        if first.endswith(":") and rest.startswith("  "):
            title = first[:-1].capitalize()
            body = "\n".join(line[2:] for line in rest.splitlines())
            language = "sh" if title.startswith("Example") else "text"
            lines += [f"**{title}**", "", f"```{language}", body, "```", ""]
        else:
            lines += [*_paragraphs(block), ""]
    return lines


def _paragraphs(text: str) -> list[str]:
    """Plain text as Markdown paragraphs, with `--options` as code."""
    out = []
    for paragraph in text.strip().split("\n\n"):
        words = " ".join(paragraph.split()).split(" ")
        out.append(" ".join(_option_word(w) for w in words))
        out.append("")
    return out[:-1]


def _option_word(word: str) -> str:
    if not word.startswith("--"):
        return word
    bare = word.rstrip(".,;:)")
    return _code(bare) + word[len(bare) :]


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _code(text: str) -> str:
    return f"`{text}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _anchor(name: str) -> str:
    return f"command-{name}"
