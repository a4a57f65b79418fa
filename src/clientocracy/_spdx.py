"""The shape of an SPDX licence expression, as a source's `license` holds it.

One check, shared by the catalog loader and the compiled-file reader, so a
licence one of them accepts the other accepts too. It checks the grammar of
SPDX's annex on licence expressions (identifiers, `LicenseRef-`,
`AND`/`OR`/`WITH` and parentheses), not that an identifier is on SPDX's
list: a list would go stale with every SPDX release and is not ours to ship.
"""

from __future__ import annotations

import re

from ._messages import N_, Message

__all__ = ["MAX_LICENSE_CHARS", "expression_problem"]

#: The longest licence expression a source may carry; real ones are short.
MAX_LICENSE_CHARS = 1000

# An identifier: SPDX's idstring (letters, digits, "." and "-") with an
# optional "+", or a DocumentRef-…:LicenseRef-… reference.
_TOKEN = re.compile(
    r"\s*(?:(?P<open>\()|(?P<close>\))"
    r"|(?P<word>(?:DocumentRef-[A-Za-z0-9.\-]+:)?[A-Za-z0-9.\-]+\+?))"
)
_OPERATORS = {"AND", "OR", "WITH"}


def expression_problem(value: str) -> str | None:
    """Return what keeps *value* from being an SPDX licence expression, or None.

    Examples:
        >>> expression_problem("CC-BY-4.0 AND LicenseRef-clientocracy-source-texts")
        >>> expression_problem("MIT or Apache-2.0")
        "operators are written in capitals: 'or' should be 'OR'"
    """
    if len(value) > MAX_LICENSE_CHARS:
        return Message(
            N_("a licence expression has at most {limit} characters"), limit=MAX_LICENSE_CHARS
        )
    words, problem = _tokens(value)
    if problem:
        return problem
    return _grammar_problem(words)


def _tokens(value: str) -> tuple[list[str], str | None]:
    words: list[str] = []
    position = 0
    end = len(value.rstrip())
    while position < end:
        match = _TOKEN.match(value, position)
        if match is None:
            bad = value[position:].lstrip()[:1]
            return words, Message(
                N_(
                    "{bad!r} cannot appear in a licence expression; use SPDX identifiers"
                    " (such as 'CC-BY-4.0'), LicenseRef-… names, AND, OR, WITH and parentheses"
                ),
                bad=bad,
            )
        words.append(match.group().strip())
        position = match.end()
    return words, None


def _grammar_problem(words: list[str]) -> str | None:
    if not words:
        return Message(N_("must not be empty"))
    depth = 0
    expect_operand = True
    for word in words:
        if word.upper() in _OPERATORS and word not in _OPERATORS:
            return Message(
                N_("operators are written in capitals: {word!r} should be {upper!r}"),
                word=word,
                upper=word.upper(),
            )
        if expect_operand:
            if word == "(":
                depth += 1
            elif word == ")" or word in _OPERATORS:
                return Message(N_("expected a licence identifier before {word!r}"), word=word)
            else:
                expect_operand = False
        elif word == ")":
            depth -= 1
            if depth < 0:
                return Message(N_("a ')' closes nothing"))
        elif word in _OPERATORS:
            expect_operand = True
        else:
            return Message(
                N_("expected AND, OR or WITH between licences, before {word!r}"), word=word
            )
    if expect_operand:
        return Message(N_("the expression ends with an operator"))
    if depth:
        return Message(N_("a '(' is not closed"))
    return None
