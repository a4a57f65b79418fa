"""Shell completion for bash, zsh and fish, generated from the command's own parser.

The commands, options and choices come from the argparse parser, so a new
option completes without anyone editing a script. The values of `--company`,
`--principle`, `--language` and the id of `show` come from the data
(the bundled stories, and any `--corpus` given when the script is
generated), embedded in the script: pressing Tab never starts Python.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import attrs

from .._corpus.corpus import Corpus

__all__ = ["SHELLS", "Argument", "Command", "commands", "completion_script"]

SHELLS = ("bash", "zsh", "fish")

# What an option's or argument's value is, by its destination in the parser.
_VALUE_KINDS = {
    "company": "company",
    "principle": "principle",
    "language": "language",
    "id": "story",
    "corpus": "directory",
    "corpus_after": "directory",
    "path": "path",
    "output": "file",
    # The authoring commands' corpus folder and input files.
    "folder": "directory",
    "file": "file",
    "csv": "file",
}


@attrs.frozen(kw_only=True)
class Argument:
    """One option or positional argument of a command, as completion and the man page see it."""

    flags: tuple[str, ...]  # empty for a positional argument
    metavar: str
    help: str
    takes_value: bool
    repeatable: bool
    choices: tuple[str, ...]
    kind: str | None  # "company", "story", "file", … or None


@attrs.frozen(kw_only=True)
class Command:
    """A command (or the program itself, with name `""`) and its arguments."""

    name: str
    help: str
    usage: str
    description: str
    epilog: str
    arguments: tuple[Argument, ...]


def _argument(action: argparse.Action) -> Argument:
    takes_value = action.nargs != 0
    choices = tuple(str(c) for c in action.choices or ()) if action.choices else ()
    metavar = action.metavar if isinstance(action.metavar, str) else (action.dest.upper())
    return Argument(
        flags=tuple(action.option_strings),
        metavar=metavar,
        help=action.help or "",
        takes_value=takes_value,
        repeatable=isinstance(action, argparse._AppendAction),
        choices=choices,
        kind=_VALUE_KINDS.get(action.dest),
    )


def _arguments(parser: argparse.ArgumentParser) -> tuple[Argument, ...]:
    return tuple(
        _argument(action)
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and action.help != argparse.SUPPRESS
    )


def commands(parser: argparse.ArgumentParser) -> tuple[Command, ...]:
    """The program (first, named `""`) and each of its commands, from *parser*."""
    subparsers = next(
        (a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None
    )
    helps = {
        choice.dest: choice.help or ""
        for choice in (subparsers._choices_actions if subparsers else ())
    }

    def usage(sub: argparse.ArgumentParser) -> str:
        return " ".join(sub.format_usage().removeprefix("usage:").split())

    found = [
        Command(
            name="",
            help="",
            usage=usage(parser),
            description=parser.description or "",
            epilog=parser.epilog or "",
            arguments=_arguments(parser),
        )
    ]
    for name, sub in subparsers.choices.items() if subparsers else ():
        found.append(
            Command(
                name=name,
                help=helps.get(name, ""),
                usage=usage(sub),
                description=sub.description or "",
                epilog=sub.epilog or "",
                arguments=_arguments(sub),
            )
        )
    return tuple(found)


def _values(corpus: Corpus) -> dict[str, list[tuple[str, str]]]:
    """Each kind's completions as (value, description): ids first, then names."""

    def both(records: Sequence[object], names: str) -> list[tuple[str, str]]:
        pairs = [(r.id, r.name) for r in records]  # type: ignore[attr-defined]
        pairs += [
            (name, r.id)  # type: ignore[attr-defined]
            for r in records
            for name in dict.fromkeys(getattr(r, names))
            if name != r.id and name.casefold() != r.id.casefold()  # type: ignore[attr-defined]
        ]
        return list(dict.fromkeys(pairs))

    return {
        "story": [(s.id, s.title_en) for s in corpus.stories()],
        "company": both(corpus.companies(), "names"),
        "principle": both(corpus.principles(), "all_names"),
        "language": both(corpus.languages(), "names"),
    }


def completion_script(shell: str, parser: argparse.ArgumentParser, corpus: Corpus) -> str:
    """The completion script for *shell* (one of `SHELLS`)."""
    generate = {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell]
    return generate(commands(parser), _values(corpus))


def _clean(text: str) -> str:
    """One line without control characters: data from a user's corpus ends up in a script."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# -- bash ---------------------------------------------------------------------


def _bash(found: Sequence[Command], values: dict[str, list[tuple[str, str]]]) -> str:
    lines = [
        "# bash completion for clientocracy, generated by `clientocracy completion bash`.",
        "",
        *_bash_values_function(values),
        "",
        "_clientocracy() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local command="" word i',
        "    COMPREPLY=()",
        *_bash_find_command(found),
        *_bash_option_values(found),
        *_bash_options(found),
        *_bash_commands_and_positionals(found[1:]),
        "}",
        "",
        "complete -F _clientocracy clientocracy",
        "",
    ]
    return "\n".join(lines)


def _bash_values_function(values: dict[str, list[tuple[str, str]]]) -> list[str]:
    """A function that completes the ids and names of one kind, case-insensitively."""
    lines = [
        "_clientocracy_values() {",
        "    local IFS=$'\\n' candidate",
        "    local -a candidates",
        '    case "$1" in',
    ]
    for kind, pairs in values.items():
        body = " ".join(_sh_quote(_clean(value)) for value, _ in pairs)
        lines.append(f"        {kind}) candidates=({body}) ;;")
    return [
        *lines,
        "    esac",
        '    for candidate in "${candidates[@]}"; do',
        '        if [[ "${candidate,,}" == "${2,,}"* ]]; then',
        '            COMPREPLY+=("$(printf %q "$candidate")")',
        "        fi",
        "    done",
        "}",
    ]


def _bash_find_command(found: Sequence[Command]) -> list[str]:
    """The loop that finds the command word, skipping options and their values."""
    with_value = sorted(
        {flag for c in found for a in c.arguments if a.takes_value for flag in a.flags}
    )
    return [
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        word="${COMP_WORDS[i]}"',
        '        case "$word" in',
        f"            {'|'.join(with_value)}) ((i++)) ;;",
        "            -*) ;;",
        '            *) command="$word"; break ;;',
        "        esac",
        "    done",
    ]


def _bash_option_values(found: Sequence[Command]) -> list[str]:
    """What completes the value of an option that takes one."""
    by_flag: dict[str, Argument] = {}
    for c in found:
        for a in c.arguments:
            if a.takes_value:
                for flag in a.flags:
                    by_flag.setdefault(flag, a)
    lines = ['    case "$prev" in']
    for flag, a in sorted(by_flag.items()):
        lines.append(f"        {flag}) {_bash_value(a)}; return ;;")
    return [*lines, "    esac"]


def _bash_options(found: Sequence[Command]) -> list[str]:
    """The options of each command (and of the program, before any command)."""
    program = found[0]
    lines = ['    if [[ "$cur" == -* ]]; then', '        case "$command" in']
    for c in found:
        flags = " ".join(flag for a in c.arguments for flag in a.flags)
        if c.name == "":
            flags += " " + " ".join(
                flag for a in program.arguments for flag in a.flags if flag not in flags.split()
            )
        label = '""' if c.name == "" else c.name
        lines.append(
            f'            {label}) COMPREPLY=($(compgen -W "{flags.strip()}" -- "$cur")) ;;'
        )
    return [*lines, "        esac", "        return", "    fi"]


def _bash_commands_and_positionals(subs: Sequence[Command]) -> list[str]:
    """The command names, and then each command's first positional argument."""
    names = " ".join(c.name for c in subs)
    lines = [
        '    case "$command" in',
        f'        "") COMPREPLY=($(compgen -W "{names}" -- "$cur")) ;;',
    ]
    for c in subs:
        positional = [a for a in c.arguments if not a.flags]
        if positional and (positional[0].kind or positional[0].choices):
            lines.append(f"        {c.name}) {_bash_value(positional[0])} ;;")
    return [*lines, "    esac"]


def _bash_value(argument: Argument) -> str:
    if argument.choices:
        return f'COMPREPLY=($(compgen -W "{" ".join(argument.choices)}" -- "$cur"))'
    if argument.kind == "directory":
        return 'COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null'
    if argument.kind in ("file", "path"):
        return 'COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null'
    if argument.kind is not None:
        return f'_clientocracy_values {argument.kind} "$cur"'
    return ":"


# -- zsh ----------------------------------------------------------------------


def _zsh_escape(text: str) -> str:
    """Text inside a single-quoted _arguments spec: brackets and colons escaped."""
    text = _clean(text).replace("\\", "\\\\")
    for char in "[]:":
        text = text.replace(char, "\\" + char)
    return text.replace("'", "'\\''")


def _zsh_action(argument: Argument) -> str:
    if argument.choices:
        return f"({' '.join(argument.choices)})"
    return {
        "directory": "_files -/",
        "file": "_files",
        "path": "_files",
        None: " ",
    }.get(argument.kind, f"_clientocracy_{argument.kind}")


def _zsh_specs(arguments: Sequence[Argument]) -> list[str]:
    specs = []
    for a in arguments:
        help = _zsh_escape(a.help)
        if not a.flags:
            specs.append(f"'1:{_zsh_escape(a.metavar)}:{_zsh_action(a)}'")
            continue
        if "--version" in a.flags or "--help" in a.flags:
            exclusive = "(- *)"
        elif len(a.flags) > 1:
            exclusive = "(" + " ".join(a.flags) + ")"
        else:
            exclusive = ""
        star = "*" if a.repeatable else ""
        value = f":{_zsh_escape(a.metavar)}:{_zsh_action(a)}" if a.takes_value else ""
        flags = "{" + ",".join(a.flags) + "}" if len(a.flags) > 1 else a.flags[0]
        if len(a.flags) > 1:
            specs.append(f"'{exclusive}{star}'{flags}'[{help}]{value}'")
        else:
            specs.append(f"'{exclusive}{star}{flags}[{help}]{value}'")
    return specs


def _zsh(found: Sequence[Command], values: dict[str, list[tuple[str, str]]]) -> str:
    program, subs = found[0], found[1:]
    lines = [
        "#compdef clientocracy",
        "# zsh completion for clientocracy, generated by `clientocracy completion zsh`.",
        "",
        *_zsh_value_functions(values),
        "_clientocracy() {",
        "    local curcontext=$curcontext state line",
        "    typeset -A opt_args",
        "    _arguments -C \\",
        *(f"        {spec} \\" for spec in _zsh_specs(program.arguments)),
        "        '1:command:->command' \\",
        "        '*::argument:->argument'",
        '    case "$state" in',
        "    command)",
        "        local -a commands=("
        + " ".join(f"'{c.name}:{_zsh_escape(c.help)}'" for c in subs)
        + ")",
        "        _describe -t commands command commands",
        "        ;;",
        "    argument)",
        '        case "$line[1]" in',
        *_zsh_command_arguments(subs),
        "        esac",
        "        ;;",
        "    esac",
        "}",
        "",
        # Autoloaded from a file on fpath, or sourced after compinit.
        'if [[ "${funcstack[1]}" == _clientocracy ]]; then',
        '    _clientocracy "$@"',
        "else",
        "    compdef _clientocracy clientocracy",
        "fi",
        "",
    ]
    return "\n".join(lines)


def _zsh_value_functions(values: dict[str, list[tuple[str, str]]]) -> list[str]:
    """A function per kind of value that offers its ids and names, described."""
    lines: list[str] = []
    for kind, pairs in values.items():
        items = " ".join(
            "'"
            + _zsh_escape(value).replace("\\[", "[").replace("\\]", "]")
            + ":"
            + _zsh_escape(description).replace("\\[", "[").replace("\\]", "]")
            + "'"
            for value, description in pairs
        )
        lines += [
            f"_clientocracy_{kind}() {{",
            f"    local -a values=({items})",
            f"    _describe -t {kind} {kind} values",
            "}",
            "",
        ]
    return lines


def _zsh_command_arguments(subs: Sequence[Command]) -> list[str]:
    """The `_arguments` specs of each command, as branches of a case."""
    lines: list[str] = []
    for c in subs:
        specs = _zsh_specs(c.arguments)
        if c.name == "search":
            specs = [s for s in specs if not s.startswith("'1:")] + ["'*:WORD: '"]
        lines.append(f"        {c.name})")
        lines.append("            _arguments \\")
        lines += [f"                {spec} \\" for spec in specs[:-1]]
        lines.append(f"                {specs[-1]}")
        lines.append("            ;;")
    return lines


# -- fish ---------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    return "'" + _clean(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(found: Sequence[Command], values: dict[str, list[tuple[str, str]]]) -> str:
    program, subs = found[0], found[1:]
    lines = [
        "# fish completion for clientocracy, generated by `clientocracy completion fish`.",
        "",
        "function __clientocracy_values",
        "    switch $argv[1]",
    ]
    for kind, pairs in values.items():
        lines.append(f"        case {kind}")
        lines += [
            f"            printf '%s\\t%s\\n' {_fish_quote(value)} {_fish_quote(description)}"
            for value, description in pairs
        ]
    lines += ["    end", "end", "", "complete -c clientocracy -f"]

    def option(condition: str, a: Argument) -> str:
        parts = ["complete -c clientocracy", f"-n {_fish_quote(condition)}"]
        for flag in a.flags:
            parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
        if a.takes_value:
            # -x: a value is required and files are not offered; -r alone offers them.
            parts.append("-r" if a.kind in ("file", "path") else "-x")
            parts.append(_fish_values(a))
        parts.append(f"-d {_fish_quote(a.help)}")
        return " ".join(p for p in parts if p)

    for a in program.arguments:
        lines.append(option("true", a))
    for c in subs:
        lines.append(
            f"complete -c clientocracy -n '__fish_use_subcommand' -a {c.name} "
            f"-d {_fish_quote(c.help)}"
        )
    for c in subs:
        condition = f"__fish_seen_subcommand_from {c.name}"
        for a in c.arguments:
            if a.flags:
                if a.flags != ("-h", "--help"):
                    lines.append(option(condition, a))
            elif a.kind or a.choices:
                lines.append(
                    f"complete -c clientocracy -n {_fish_quote(condition)} {_fish_values(a)}"
                )
    lines.append("")
    return "\n".join(lines)


def _fish_values(argument: Argument) -> str:
    if argument.choices:
        return f"-a {_fish_quote(' '.join(argument.choices))}"
    if argument.kind == "directory":
        return "-a '(__fish_complete_directories)'"
    if argument.kind in ("file", "path"):
        return "-F"
    if argument.kind is not None:
        return f"-a '(__clientocracy_values {argument.kind})'"
    return ""
