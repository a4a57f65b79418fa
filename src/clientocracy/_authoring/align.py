"""Pairing a translation with its original, sentence by sentence.

Both sides are split into sentences by `sentencex` (Wikimedia's segmenter:
rule sets for some 300 languages, Persian's `؟` and `«»` and Russian
abbreviations among them, maintained, and its pieces put together give
back the text exactly, so offsets need no guessing). It is the optional
`author` extra, imported only when a translation is aligned.

When both sides have as many sentences, they pair one to one. When they
do not, the author gets a *pairs sheet*: a plain text of pairs, the
original's sentences on `<` lines, the translation's on `>` lines, a blank
line between pairs. Deleting the blank line between two pairs merges them
into one segment; reading the sheet back gives segments that cover the
passage exactly, as the loader requires.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import attrs

from .._messages import N_, Message
from .._public import public
from .._records import Span

__all__ = ["Alignment", "AlignmentError", "align", "read_pairs", "sentences", "write_pairs"]

_SPACE = re.compile(r"\s+")
_COLUMN = 36


def _segmenter() -> Any:
    try:
        import sentencex
    except ImportError:  # pragma: no cover - the extra is part of the test install
        raise ImportError(
            "aligning a translation needs the sentence segmenter: "
            "pip install 'clientocracy[author]'"
        ) from None
    return sentencex


def sentences(text: str, language: str, span: Span | None = None) -> list[Span]:
    """The sentences of *text* (or of its passage *span*), as spans without edge white space."""
    start, end = (0, len(text)) if span is None else (span.start, span.end)
    found: list[Span] = []
    position = start
    for piece in _segmenter().segment(language, text[start:end]):
        # The pieces put together are the text; find each anyway, in case
        # a release of the segmenter ever drops a character.
        at = text.find(piece, position, end)
        if at < 0:  # pragma: no cover - see above
            continue
        position = at + len(piece)
        stripped = piece.strip()
        if not stripped:
            continue  # a paragraph break between sentences
        first = at + piece.index(stripped)
        found.append(Span(start=first, end=first + len(stripped)))
    return found


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@public
@attrs.frozen(kw_only=True)
class Alignment:
    """A translation of a passage, cut into segments that each render a span of the original.

    Made by `Draft.align` or
    `Draft.read_pairs`, and added to a
    story by `Draft.add_translation`.

    Attributes:
        language: The translation's language, as given.
        span: The passage of the original that is translated.
        segments: Each segment's span of the original and its translation,
            in order; together they cover the passage.
    """

    language: str
    span: Span
    segments: tuple[tuple[Span, str], ...]


@public
class AlignmentError(ValueError):
    """A translation cannot be paired with its original as it is.

    It is a `ValueError`; its message shows the pairs side by side.

    Attributes:
        problems: What is wrong, one a line.
        pairs: A pairs sheet to edit and read back with
            `Draft.read_pairs`
            (empty when the problem is in a sheet already).
    """

    problems: tuple[str, ...]
    pairs: str

    def __init__(self, problems: Sequence[str], pairs: str = "") -> None:
        self.problems = tuple(problems)
        self.pairs = pairs
        super().__init__("\n".join(self.problems))


def without_colon(problem: str) -> str:
    """*problem* without the colon that introduces what follows it in an `AlignmentError`."""
    if isinstance(problem, Message) and problem.template == "{reason}:":
        reason: str = problem.args["reason"]
        return reason
    return problem.rstrip(":")


def align(text: str, span: Span, own: str, translation: str, language: str) -> Alignment:
    """Pair the sentences of *translation* one to one with those of passage *span* of *text*.

    *own* and *language* are the language tags of the original and of the
    translation. Raises `AlignmentError`,
    with a pairs sheet to edit, when the counts differ.
    """
    originals = sentences(text, own, span)
    translated = [translation[s.slice()] for s in sentences(translation, language)]
    if not translated:
        raise AlignmentError([Message(N_("the translation is empty"))])
    if len(originals) == len(translated):
        return Alignment(
            language=language,
            span=span,
            segments=tuple(
                zip(_covering(originals, span), map(_one_line, translated), strict=True)
            ),
        )
    sheet = write_pairs(text, originals, translated, own, language)
    raise AlignmentError(
        [
            # The reason, then a colon before the pairs: a reason that can be
            # quoted alone (see without_colon).
            Message(
                "{reason}:",
                reason=Message(
                    N_(
                        "the passage has {originals} sentences and the translation "
                        "{translated}, so they do not pair one to one"
                    ),
                    originals=len(originals),
                    translated=len(translated),
                ),
            ),
            *_side_by_side([_one_line(text[s.slice()]) for s in originals], translated),
            Message(
                N_("merge the pairs that render each other in the pairs sheet, and read it back")
            ),
        ],
        sheet,
    )


def _covering(spans: Sequence[Span], passage: Span) -> list[Span]:
    """*spans*, the first stretched to the passage's start and the last to its end."""
    if not spans:
        return []
    stretched = list(spans)
    stretched[0] = Span(start=passage.start, end=stretched[0].end)
    stretched[-1] = Span(start=stretched[-1].start, end=passage.end)
    return stretched


def _cell(text: str) -> str:
    return text if len(text) <= _COLUMN else text[: _COLUMN - 1] + "…"


def _side_by_side(left: Sequence[str], right: Sequence[str]) -> list[str]:
    rows = []
    for index in range(max(len(left), len(right))):
        original = _cell(left[index]) if index < len(left) else ""
        translated = _cell(_one_line(right[index])) if index < len(right) else ""
        rows.append(f"  {index + 1:>3}  {original:<{_COLUMN}}  | {translated}")
    return rows


def write_pairs(
    text: str, originals: Sequence[Span], translated: Sequence[str], own: str, language: str
) -> str:
    """The pairs sheet of *originals* (spans of *text*) and *translated* sentences, in order."""
    lines = [
        f"# The passage ({own}) on '<' lines, the translation ({language}) on '>' lines.",
        "# A blank line ends a pair. To merge two pairs, delete the blank line between them.",
        "# Keep the '<' lines as they are; edit the '>' lines as you like. '#' lines are ignored.",
    ]
    for index in range(max(len(originals), len(translated))):
        lines.append("")
        if index < len(originals):
            lines.append(f"< {_one_line(text[originals[index].slice()])}")
        if index < len(translated):
            lines.append(f"> {_one_line(translated[index])}")
    return "\n".join(lines) + "\n"


def _blocks(sheet: str) -> list[list[tuple[int, str]]]:
    """The sheet's pairs: lists of (line number, line), comments dropped."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(sheet.splitlines(), 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((number, line))
    return [block for block in blocks if block]


def read_pairs(sheet: str, text: str, span: Span, own: str, language: str) -> Alignment:
    """Read a pairs sheet back into an `Alignment` of passage *span* of *text*.

    Raises `AlignmentError` listing every
    problem by line: a pair with no original or no translation, a `<`
    line that is not the original's next sentence, sentences left out.
    """
    originals = sentences(text, own, span)
    problems: list[str] = []
    groups: list[tuple[list[Span], str]] = []
    cursor = 0
    for block in _blocks(sheet):
        first = block[0][0]
        left = [(n, line[1:].strip()) for n, line in block if line.startswith("<")]
        right = [line[1:].strip() for n, line in block if line.startswith(">")]
        problems += [
            Message(
                N_("line {line}: start the line with '<' (the original) or '>' (the translation)"),
                line=n,
            )
            for n, line in block
            if not line.startswith(("<", ">"))
        ]
        for number, sentence in left:
            expected = _one_line(text[originals[cursor].slice()]) if cursor < len(originals) else ""
            if _one_line(sentence) != expected:
                problems.append(
                    Message(
                        N_(
                            "line {line}: expected the original's sentence {index}, "
                            "{sentence!r}; keep the '<' lines as they were written"
                        ),
                        line=number,
                        index=cursor + 1,
                        sentence=_cell(expected),
                    )
                    if expected
                    else Message(N_("line {line}: the passage has no more sentences"), line=number)
                )
            cursor += 1
        if not left or not any(right):
            what = (
                N_(
                    "line {line}: a translation with no original; merge this pair with the one "
                    "before or after it by deleting the blank line between them"
                )
                if left == []
                else N_(
                    "line {line}: an original with no translation; merge this pair with the one "
                    "before or after it by deleting the blank line between them"
                )
            )
            problems.append(Message(what, line=first))
            continue
        start = cursor - len(left)
        groups.append((originals[start:cursor], " ".join(r for r in right if r)))
    if not problems and cursor < len(originals):
        problems.append(
            Message(
                N_(
                    "the sheet ends at the original's sentence {index}, but the passage has "
                    "{count}; add the rest"
                ),
                index=cursor,
                count=len(originals),
            )
        )
    if problems:
        raise AlignmentError(problems)
    spans = [Span(start=g[0].start, end=g[-1].end) for g, _ in groups]
    segments = zip(_covering(spans, span), (t for _, t in groups), strict=True)
    return Alignment(language=language, span=span, segments=tuple(segments))
