"""Handouts: chosen stories as a Markdown file for slides, or a standalone HTML page for paper.

A handout is for reading, not for a program: each story in one language
(its original, or a translation), or the original beside a translation
segment by segment. The labels ("Summary", "Source"…) are in the language
the stories are read in. The HTML page needs nothing but itself: its CSS is
embedded, it loads no font, script or image, it reads right to left where
the text is Persian, and it prints to A4 one story a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Literal

from .._records import Language, Story

__all__ = ["HANDOUT_FORMATS", "HandoutFormat", "handout"]

HandoutFormat = Literal["markdown", "html"]
"""A format `handout()` writes, for type checkers."""

HANDOUT_FORMATS: tuple[HandoutFormat, ...] = ("markdown", "html")
"""The formats `handout()` writes."""

# The labels of a handout, in the language its stories are read in; English
# for a language without its own.
_LABELS = {
    "en": {
        "summary": "Summary",
        "principles": "Principles",
        "source": "Source",
        "translation": "Translation",
        "original": "Original",
        "translator": "Translation: {translator}",
        "stories": "Stories",
        "characters": "characters {start}–{end}",
    },
    "ru": {
        "summary": "Краткое содержание",
        "principles": "Принципы",
        "source": "Источник",
        "translation": "Перевод",
        "original": "Оригинал",
        "translator": "Перевод: {translator}",
        "stories": "Истории",
        "characters": "символы {start}–{end}",
    },
    "fa": {
        "summary": "خلاصه",
        "principles": "اصول",
        "source": "منبع",
        "translation": "ترجمه",
        "original": "متن اصلی",
        "translator": "ترجمه: {translator}",
        "stories": "داستان‌ها",
        "characters": "نویسه‌های {start} تا {end}",
    },
}
# How each language joins the items of a list: Persian with its own comma.
_LIST_SEPARATORS = {"fa": "، "}

# Characters with no business in a printed page: C0 and C1 controls (but
# newline and tab) and the bidi overrides and isolates, which could make
# the text display other than it reads. Shown as U+FFFD, not dropped.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*\n\s*")


def handout(
    stories: Iterable[Story] | Story,
    format: HandoutFormat = "markdown",
    *,
    language: Language | str | None = None,
    parallel: bool = False,
) -> str:
    """Return a handout of *stories*: Markdown for slide tools, or a standalone HTML page.

    Each story is read in *language* (a record, tag or name; default: the
    language it was told in), with its title, company, principles, summary
    and source. With *parallel*, the original stands beside the translation
    into *language* (default English), segment by segment.

    In Markdown each story is a slide: they are separated by `---`, as
    Marp, reveal.js and Slidev expect, and Persian text is wrapped in
    `<div dir="rtl">`. The HTML page embeds its CSS, loads nothing from
    the network, sets `lang` and `dir` on every text, and prints to A4 with
    one story a page.

    Args:
        stories: A story or stories, in the order to print them.
        format: `"markdown"` or `"html"`.
        language: The language to read the stories in.
        parallel: Set the original beside its translation into *language*.

    Returns:
        The document, as text (write it with UTF-8).

    Raises:
        ValueError: *format* is not one of
            `HANDOUT_FORMATS`, or *parallel*
            asks for a story beside itself.
        LookupError: A story has no text in *language*.

    Examples:
        >>> import clientocracy
        >>> story = clientocracy.story("zappos-flowers-for-a-mother")
        >>> print(clientocracy.handout(story, language="en").splitlines()[0])
        # Flowers for a customer’s mother
        >>> page = clientocracy.handout(story, "html")
        >>> '<article class="story" lang="fa" dir="rtl">' in page
        True
    """
    if format not in HANDOUT_FORMATS:
        raise ValueError(
            f"a handout is written as {' or '.join(map(repr, HANDOUT_FORMATS))}, not {format!r}"
        )
    chosen = [stories] if isinstance(stories, Story) else list(stories)
    readings = [_reading(story, language, parallel) for story in chosen]
    if format == "markdown":
        return "\n---\n\n".join(_markdown(story, read, parallel) for story, read in readings)
    return _html_page(readings, parallel)


def _reading(
    story: Story, language: Language | str | None, parallel: bool
) -> tuple[Story, Language]:
    """The story and the record of the language it is read in (checked to exist)."""
    if not isinstance(story, Story):
        raise TypeError(f"a handout is made of Story records, not {type(story).__name__}")
    if language is None and parallel:
        language = "en"
    if language is None:
        return story, story.language
    story.text_in(language)  # a LookupError here names the languages there are
    tag = language.id if isinstance(language, Language) else None
    for known in story.languages:
        if known.id == tag or (tag is None and _is_named(known, str(language))):
            if parallel and known.id == story.language.id:
                raise ValueError(
                    f"a parallel handout sets the original beside a translation, and "
                    f"{known.name} is the original of {story.id!r}; choose another language"
                )
            return story, known
    raise LookupError(f"story {story.id!r} has no text in {language!r}")  # pragma: no cover


def _is_named(language: Language, name: str) -> bool:
    from .._normalize import name_key

    return name_key(name) in {name_key(known) for known in language.names}


def _labels(language: Language) -> dict[str, str]:
    return _LABELS.get(language.id, _LABELS["en"])


def _clean(text: str) -> str:
    return _UNSAFE.sub("\ufffd", text)


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of *text*: split at blank lines, each on one line."""
    return [" ".join(p.split()) for p in _PARAGRAPH.split(_clean(text).strip()) if p.strip()]


def _joined(items: Iterable[str], language: Language) -> str:
    return _LIST_SEPARATORS.get(language.id, ", ").join(items)


def _facts(story: Story, language: Language) -> tuple[str, str, str]:
    """The title, the company and principles line, and the summary, in *language*."""
    title = story.title_in(language)
    principles = _joined((p.name_in(language) for p in story.principles), language)
    company = story.company.name_in(language)
    try:
        summary = story.summary_in(language)
    except LookupError:
        summary = story.summary
    return _clean(title), _clean(f"{company} · {principles}"), _clean(summary)


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _number(value: int, language: Language) -> str:
    """*value* in the digits of running text in *language*."""
    return str(value).translate(_PERSIAN_DIGITS) if language.id == "fa" else str(value)


def _source_parts(story: Story, language: Language) -> tuple[str, str, str, str | None]:
    """The source's title (in its own language), its id, the span, and the translator.

    Kept apart so that HTML can isolate the title, id and translator, which
    may run in another direction than the line around them.
    """
    labels = _labels(language)
    source = story.source
    span = labels["characters"].format(
        start=_number(story.span.start, language), end=_number(story.span.end, language)
    )
    translator = None
    if language.id != story.language.id:
        translator = _clean(story.translation(language).translator)
    return _clean(source.title_in(source.language)), _clean(source.id), span, translator


def _source_line(story: Story, language: Language) -> str:
    title, id, span, translator = _source_parts(story, language)
    line = f"{title} ({id}), {span}"
    if translator is not None:
        line += ". " + _labels(language)["translator"].format(translator=translator)
    return line


# -- Markdown ----------------------------------------------------------------------

# Escaped with a backslash, which every Markdown dialect reads; "<", ">",
# "&" and "|" (a table's cell border) as character references instead,
# since not every dialect lets a backslash escape them.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#!])")
_ENTITIES = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;"})
_LINE_START = re.compile(r"^(\s*)(?:([-+])|(\d+)(?=[.)]))", re.MULTILINE)


def _unlisted(match: re.Match[str]) -> str:
    """A list marker at the start of a line, escaped: `\\-`, `\\+`, `1\\.`."""
    space, sign, number = match.groups()
    return f"{space}\\{sign}" if sign else f"{space}{number}\\"


def _md(text: str) -> str:
    """*text* with every character Markdown would read as markup escaped."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text).translate(_ENTITIES)
    return _LINE_START.sub(_unlisted, escaped)


def _md_block(text: str, language: Language) -> str:
    """A block of Markdown, wrapped in a right-to-left div for a right-to-left language."""
    if language.direction != "rtl":
        return text
    return f'<div dir="rtl" lang="{language.id}">\n\n{text}\n\n</div>'


def _markdown(story: Story, language: Language, parallel: bool) -> str:
    labels = _labels(language)
    title, about, summary = _facts(story, language)
    parts = [_md_block(f"# {_md(title)}\n\n*{_md(about)}*", language)]
    if parallel:
        parts.append(_markdown_segments(story, language))
    else:
        parts.append(
            _md_block("\n\n".join(map(_md, _paragraphs(story.text_in(language)))), language)
        )
    parts.append(_md_block(f"**{labels['summary']}.** {_md(summary)}", language))
    parts.append(_md_block(f"*{labels['source']}: {_md(_source_line(story, language))}*", language))
    return "\n\n".join(parts) + "\n"


def _markdown_segments(story: Story, language: Language) -> str:
    original = _labels(story.language)["original"]
    translated = _labels(language)["translation"]
    rows = [
        f"| {story.language.native_name} · {original} | {language.native_name} · {translated} |",
        "| --- | --- |",
    ]
    for segment in story.translation(language).segments:
        left, right = (" ".join(_md(_clean(t)).split()) for t in (segment.original, segment.text))
        rows.append(f"| {left} | {right} |")
    return "\n".join(rows)


# -- HTML ---------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 18mm 17mm 20mm; }
:root { color: #1a1a1a; background: #fff; }
body {
  margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem;
  font: 12pt/1.55 "Noto Serif", "DejaVu Serif", Georgia, "Times New Roman", serif;
}
[lang]:not(:lang(fa)) {
  font-family: "Noto Serif", "DejaVu Serif", Georgia, "Times New Roman", serif;
  line-height: 1.55;
}
:lang(fa) {
  font-family: "Vazirmatn", "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", Tahoma,
    "Times New Roman", serif;
  line-height: 1.9;
}
article.story { margin: 0 0 3rem; }
article.story + article.story { border-top: 1px solid #bbb; padding-top: 2rem; }
h1 { font-size: 1.6em; line-height: 1.25; margin: 0 0 .3em; break-after: avoid; }
.about { color: #555; font-style: italic; margin: 0 0 1.2em; }
:lang(fa) .about, .about:lang(fa) { font-style: normal; }
p { margin: 0 0 .8em; orphans: 3; widows: 3; text-align: start; }
.summary { margin-top: 1.2em; padding: .6em .9em; background: #f3f3f3; border-radius: 4px; }
.summary strong { font-weight: 600; }
.source { color: #555; font-size: .85em; margin-top: 1.2em; }
table.parallel { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.parallel th { font-size: .85em; color: #555; font-weight: 600; padding: 0 .6em .4em; }
table.parallel td { vertical-align: top; padding: .35em .6em; border-top: 1px solid #ddd; }
table.parallel col.number { width: 2.2em; }
table.parallel td.number { color: #888; font-size: .8em; padding-inline: 0; }
table.parallel tr { break-inside: avoid; }
[dir] { text-align: start; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  article.story { break-after: page; margin: 0; }
  article.story:last-child { break-after: auto; }
  article.story + article.story { border-top: 0; padding-top: 0; }
  .summary { background: none; border: 1px solid #ccc; }
}
"""


def _attrs(language: Language) -> str:
    return f'lang="{html.escape(language.id)}" dir="{language.direction}"'


def _html_page(readings: list[tuple[Story, Language]], parallel: bool) -> str:
    languages = {language.id: language for _, language in readings}
    # The page takes the language of its stories if they share one.
    page = next(iter(languages.values())) if len(languages) == 1 else None
    first = readings[0] if readings else None
    title = _facts(*first)[0] if first and len(readings) == 1 else None
    heading = title or (_labels(page)["stories"] if page else "Stories")
    page_attrs = _attrs(page) if page else 'lang="en" dir="ltr"'
    body = "\n".join(_html_story(story, language, parallel) for story, language in readings)
    return (
        "<!DOCTYPE html>\n"
        f'<html {page_attrs}>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing may be fetched: the page is read offline and printed.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(heading)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _html_story(story: Story, language: Language, parallel: bool) -> str:
    labels = _labels(language)
    title, about, summary = _facts(story, language)
    if parallel:
        text = _html_segments(story, language)
    else:
        text = "\n".join(f"<p>{html.escape(p)}</p>" for p in _paragraphs(story.text_in(language)))
    return (
        f'<article class="story" {_attrs(language)}>\n'
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="about">{html.escape(about)}</p>\n{text}\n'
        f'<p class="summary"><strong>{html.escape(labels["summary"])}.</strong> '
        f"{html.escape(summary)}</p>\n"
        f'<p class="source">{html.escape(labels["source"])}: {_html_source(story, language)}'
        "</p>\n</article>"
    )


def _html_source(story: Story, language: Language) -> str:
    title, id, span, translator = _source_parts(story, language)
    # Isolated: a Persian title in a Russian line (or an id or an English
    # name in a Persian one) must not pull the punctuation around it into
    # its own direction.
    line = (
        f"<bdi {_attrs(story.source.language)}>{html.escape(title)}</bdi> "
        f'(<bdi dir="ltr">{html.escape(id)}</bdi>), {html.escape(span)}'
    )
    if translator is not None:
        before, _, after = _labels(language)["translator"].partition("{translator}")
        line += f". {html.escape(before)}<bdi>{html.escape(translator)}</bdi>{html.escape(after)}"
    return line


def _html_segments(story: Story, language: Language) -> str:
    original, translated = story.language, language
    head = (
        f"<tr><th></th><th {_attrs(original)}>{html.escape(original.native_name)} · "
        f"{html.escape(_labels(original)['original'])}</th>"
        f"<th {_attrs(translated)}>{html.escape(translated.native_name)} · "
        f"{html.escape(_labels(translated)['translation'])}</th></tr>"
    )
    rows = [
        f'<tr><td class="number">{number}</td>'
        f"<td {_attrs(original)}>{html.escape(' '.join(_clean(segment.original).split()))}</td>"
        f"<td {_attrs(translated)}>{html.escape(' '.join(_clean(segment.text).split()))}</td></tr>"
        for number, segment in enumerate(story.translation(language).segments, start=1)
    ]
    return (
        '<table class="parallel" dir="ltr">\n<colgroup><col class="number"><col><col></colgroup>\n'
        + "<thead>"
        + head
        + "</thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )
