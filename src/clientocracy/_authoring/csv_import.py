"""Importing stories kept in a spreadsheet: one CSV row a story, each text a source file.

The columns, named in the first row (in any order, any case):

- `company`, `title`, `text`, `principles`, `language`: required. The
  company and the principles are any of their names, principles separated
  by `;`; the title is in the story's language.
- `id`, `summary`, `channel`, `origin`, `translator`: optional. Without an
  id, one is made from the English title, or else from the title in the
  story's language (Russian and Persian transliterated: see `_slug`); a
  title in a script neither has gives `story-` and a hash of the title.
  `origin` says where the text comes from (the CSV file and row by default).
- `industry` and `country`: for a company the corpus does not know yet,
  which is then created with them.
- `title_<language>`, `summary_<language>` and `translation_<language>`:
  texts in other languages (`title_en`, `translation_de`…). A translation
  is aligned with the text sentence by sentence and needs the same number
  of sentences (for anything else, add it afterwards with a pairs sheet).

Every row's problems are reported by row (as a spreadsheet numbers them,
the header being row 1) and column, and nothing is written unless every
row is good and the whole corpus is valid.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._errors import CorpusError, UnknownValueError
from .._messages import N_, Message, at
from .._normalize import name_key
from .._records import Span
from .align import AlignmentError, without_colon
from .draft import Draft

if TYPE_CHECKING:
    from .._corpus.corpus import Corpus

__all__ = ["REQUIRED_COLUMNS", "import_csv"]

#: The columns every CSV file of stories must have.
REQUIRED_COLUMNS = ("company", "title", "text", "principles", "language")
_OPTIONAL = ("id", "summary", "channel", "origin", "translator", "industry", "country")
_PER_LANGUAGE = re.compile(r"(title|summary|translation)_(\S+)")


class _Rows:
    """Problems found so far, each naming its row and column."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems: list[str] = []

    def add(self, row: int, column: str | None, message: str) -> None:
        where = (
            Message(N_("row {row}, column {column!r}"), row=row, column=column)
            if column
            else Message(N_("row {row}"), row=row)
        )
        self.problems.append(at(self.shown, at(where, message)))


# Russian letters in ids, as the common passport-style transliteration spells them.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip

# Persian letters in ids: one Latin spelling a letter (the Arabic forms of
# ی, ک and ه as the Persian ones), with the few rules of `_persian` for the
# letters that write both a vowel and a consonant. Persian leaves most short
# vowels unwritten, and so do the ids: "کتاب" is "ktab".
_PERSIAN = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "e", "ٱ": "a", "ء": "", "ئ": "y", "ؤ": "v",
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ک": "k",
    "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "v", "ه": "h", "ة": "h",
    "ی": "y", "ي": "y", "ى": "y", "ۀ": "e",
}  # fmt: skip
# The short vowels, where they are written; other marks (the shadda, the
# sukun, the hamza above ه) and the tatweel are dropped.
_PERSIAN_VOWELS = {"\u064e": "a", "\u0650": "e", "\u064f": "o", "\u064b": "an", "\u0670": "a"}
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
# The tanvin of "فوراً" sits on a silent alef (or, typed the Arabic way, just
# before it): the two together are "an", not the alef's "a" and then "an".
_TANVIN_ALEF = re.compile("\u0627\u064b|\u064b\u0627")
_PERSIAN_WORD = re.compile("[\u0621-\u064a\u064b-\u065f\u0670\u0671-\u06d3\u0640]+")
_ZWNJ = "\u200c"
_MAX_SLUG = 60


def _persian(word: str) -> str:
    """One Persian word in Latin letters (see `_PERSIAN`).

    - و is "v" at the start of a word and after ا or آ, "u" elsewhere;
    - ی is "y" at the start of a word and after ا, آ or و, "i" elsewhere;
      a word that starts with ای starts with "i" ("ایران" is "iran");
    - ه that ends a word after a letter other than ا, آ or و is "e"
      ("خانه" is "khane", "راه" is "rah").
    """
    letters = _TANVIN_ALEF.sub("\u064b", word)
    letters = _MARKS.sub(lambda m: _PERSIAN_VOWELS.get(m.group(), ""), letters)
    out: list[str] = []
    for index, letter in enumerate(letters):
        before = letters[index - 1] if index else " "
        after = letters[index + 1] if index + 1 < len(letters) else " "
        if letter == "ا" and index == 0 and after in "یيى":
            out.append("i")
        elif letter in "یيى" and index == 1 and before == "ا":
            continue  # the "i" of a word's opening ای, written above
        elif letter == "و":
            out.append("v" if before in " اآ" else "u")
        elif letter in "یيى":
            out.append("y" if before in " اآو" else "i")
        elif letter in "هة" and after == " " and before not in " اآو":
            out.append("e")
        else:
            out.append(_PERSIAN.get(letter, letter))
    return "".join(out)


def _transliterated(text: str) -> str:
    """*text* with its Russian and Persian letters and its digits in ASCII."""
    text = text.lower().replace(_ZWNJ, " ")  # the joiner between a Persian word's parts
    text = _PERSIAN_WORD.sub(lambda m: _persian(m.group()), text)
    return "".join(
        _CYRILLIC.get(c, str(unicodedata.decimal(c, c)) if c.isdecimal() else c) for c in text
    )


def _slug(text: str) -> str:
    """An id made from *text*: ASCII letters and digits joined by '-', or '' if none.

    Russian and Persian are transliterated (see `_CYRILLIC` and `_PERSIAN`),
    any decimal digit is written in ASCII, and Latin letters lose their
    accents; a letter of any other script is a word break.
    """
    decomposed = unicodedata.normalize("NFKD", _transliterated(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) > _MAX_SLUG:
        # Cut at a word's end where there is one, so that no word is cut short.
        cut = slug[: _MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:_MAX_SLUG]
    return slug


def _fallback_id(kind: str, name: str) -> str:
    """An id for a name or title with no letter `_slug` can spell: *kind* and a hash of it.

    The same title gives the same id, so a row imported twice is found taken.
    """
    import hashlib

    key = unicodedata.normalize("NFC", name.strip())
    return f"{kind}-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def _read(path: str) -> tuple[list[str], list[dict[str, str]]]:
    import csv

    from .._catalog.format import MAX_TEXT_BYTES

    with open(path, "rb") as file:
        data = file.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise CorpusError(
            [at(path, Message(N_("over the limit of {limit:,} bytes"), limit=MAX_TEXT_BYTES))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorpusError(
            [
                at(
                    path,
                    Message(
                        N_("byte {offset}: not valid UTF-8; save as UTF-8"), offset=error.start
                    ),
                )
            ]
        ) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\0extra")
        rows = list(reader)
    except csv.Error as error:
        raise CorpusError(
            [
                at(
                    path,
                    Message(
                        N_("line {line}: not valid CSV: {reason}"),
                        line=reader.line_num,
                        reason=str(error),
                    ),
                )
            ]
        ) from None
    header = [name.strip().lower() for name in reader.fieldnames or ()]
    return header, [
        {
            name.strip().lower(): (value or "")
            for name, value in row.items()
            if isinstance(name, str)
        }
        for row in rows
    ]


def _check_header(header: list[str], rows: _Rows) -> None:
    for column in REQUIRED_COLUMNS:
        if column not in header:
            rows.add(1, column, "missing; the first row must name the columns")
    for column in header:
        if column not in (*REQUIRED_COLUMNS, *_OPTIONAL) and not _PER_LANGUAGE.fullmatch(column):
            rows.add(1, column, "an unknown column; see the format reference for the columns")


def import_csv(
    csv_path: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    base: Corpus | None = None,
) -> Corpus:
    """Import the stories of the CSV file *csv_path* into the corpus folder *folder*.

    *folder* is a new (or empty) folder, or a corpus to add to. Each row
    becomes a story and its text a source file of its own; see the format
    reference for the columns. Raises
    `CorpusError` listing every problem by row
    and column, having written nothing; returns the corpus as saved.
    """
    from .._catalog.format import CATALOG_FILE

    path, target = os.fspath(csv_path), os.fspath(folder)
    if os.path.isfile(os.path.join(target, CATALOG_FILE)):
        draft = Draft.open(target, base=base)
    else:
        draft = Draft.create(target, base=base)
    header, records = _read(path)
    rows = _Rows(path)
    _check_header(header, rows)
    if rows.problems:
        raise CorpusError(rows.problems)
    importer = _Import(draft, rows, os.path.basename(path))
    story_rows: dict[str, int] = {}
    for index, record in enumerate(records):
        ident = importer.row(record, index + 2)
        if ident is not None:
            story_rows[ident] = index + 2
    if not records:
        rows.add(2, None, "no stories: the file has a header only")
    if rows.problems:
        raise CorpusError(rows.problems)
    try:
        return draft.save()
    except CorpusError as error:
        raise CorpusError([_with_row(p, story_rows) for p in error.problems]) from None


def _with_row(problem: str, story_rows: Mapping[str, int]) -> str:
    """A problem of the whole corpus, with the CSV row of the story it names."""
    for ident, row in story_rows.items():
        if f"({ident!r})" in problem:
            return Message(N_("row {row}: {problem}"), row=row, problem=problem)
    return problem


class _Import:
    """Adds the rows of one CSV file to a draft, noting each row's problems."""

    def __init__(self, draft: Draft, rows: _Rows, name: str) -> None:
        self.draft = draft
        self.rows = rows
        self.name = name
        self.companies: dict[str, str] = {}  # the companies this import created, by name key

    def resolve(self, facet: str, value: str, row: int, column: str) -> str | None:
        if not value:
            return None
        try:
            return self.draft.resolve(facet, value)
        except UnknownValueError as error:
            self.rows.add(row, column, error.brief)
            return None

    def company(self, record: Mapping[str, str], row: int) -> str | None:
        name = record.get("company", "").strip()
        if not name or name_key(name) in self.companies:
            return self.companies.get(name_key(name))
        try:
            return self.draft.resolve("company", name)
        except UnknownValueError:
            pass
        industry, country = record.get("industry", "").strip(), record.get("country", "").strip()
        if not industry or not country:
            self.rows.add(
                row,
                "company",
                Message(
                    N_(
                        "no company is named {name!r}; give 'industry' and 'country' to create "
                        "it, or use a known company's name"
                    ),
                    name=name,
                ),
            )
            return None
        ident = _slug(name) or _fallback_id("company", name)
        try:
            self.draft.add_company(ident, name=name, industry=industry, country=country.upper())
        except ValueError as error:
            self.rows.add(row, "company", str(error))
            return None
        self.companies[name_key(name)] = ident
        return ident

    def texts(self, record: Mapping[str, str], kind: str) -> dict[str, str]:
        """The `<kind>_<language>` cells that are filled in, by column."""
        return {
            column: value.strip()
            for column, value in record.items()
            if column.startswith(kind + "_") and value.strip()
        }

    def untranslated(self, record: Mapping[str, str], row: int, language: str | None) -> None:
        """Titles and summaries in a language the row gives no text in are refused."""
        translated = {c.split("_", 1)[1] for c in self.texts(record, "translation")}
        for column in (*self.texts(record, "title"), *self.texts(record, "summary")):
            suffix = column.split("_", 1)[1]
            if suffix in translated or suffix == "en":
                continue
            tag = self.resolve("language", suffix, row, column)
            if tag is not None and tag != language:
                self.rows.add(
                    row,
                    column,
                    Message(
                        N_(
                            "the story has no text in {tag!r}: fill in {column!r}, "
                            "or leave this cell empty"
                        ),
                        tag=tag,
                        column=f"translation_{suffix}",
                    ),
                )

    def story_id(
        self, record: Mapping[str, str], row: int, language: str | None
    ) -> tuple[str, str]:
        """The row's story id, and the column it comes from.

        The `id` cell, else the English title made an id, else the title in
        the story's own language (Russian and Persian transliterated), else
        `story-` and a hash of the title.
        """
        given = record.get("id", "").strip()
        if given:
            return given, "id"
        title = record.get("title", "").strip()
        english = self.texts(record, "title").get("title_en")
        if english is not None and _slug(english):
            return _slug(english), "title_en"
        if _slug(title):
            return _slug(title), "title"
        return (_fallback_id("story", title) if title else f"story-{row}"), "title"

    def row(self, record: Mapping[str, str], row: int) -> str | None:
        """Add one row's source and story; return the story's id, or None after noting problems."""
        before = len(self.rows.problems)
        if "\0extra" in record:
            self.rows.add(row, None, Message(N_("more cells than the header names columns")))
        for column in REQUIRED_COLUMNS:
            if not record.get(column, "").strip():
                self.rows.add(row, column, Message(N_("empty; every story needs one")))
        language = self.resolve("language", record.get("language", "").strip(), row, "language")
        company = self.company(record, row)
        principles = [
            self.resolve("principle", name.strip(), row, "principles")
            for name in record.get("principles", "").split(";")
            if name.strip()
        ]
        ident, column = self.story_id(record, row, language)
        if self.draft.has("stories", ident):
            self.rows.add(
                row,
                column,
                Message(
                    N_("the story id {ident!r} is taken; give an 'id' of its own"), ident=ident
                ),
            )
        self.untranslated(record, row, language)
        if len(self.rows.problems) > before or language is None or company is None:
            return None
        try:
            self.add(record, row, ident, language, company, [p for p in principles if p])
        except (ValueError, LookupError) as error:
            self.rows.add(row, None, str(error))
            return None
        return ident if len(self.rows.problems) == before else None

    def add(
        self,
        record: Mapping[str, str],
        row: int,
        ident: str,
        language: str,
        company: str,
        principles: list[str],
    ) -> None:
        """Add the row's source, story and translations to the draft."""
        text = record["text"]
        title = {language: record["title"].strip()}
        for column, value in self.texts(record, "title").items():
            tag = self.resolve("language", column.split("_", 1)[1], row, column)
            if tag is not None:
                title[tag] = value
        summary = {language: record["summary"].strip()} if record.get("summary", "").strip() else {}
        for column, value in self.texts(record, "summary").items():
            tag = self.resolve("language", column.split("_", 1)[1], row, column)
            if tag is not None:
                summary[tag] = value
        origin = record.get("origin", "").strip() or f"Imported from {self.name}, row {row}."
        source_title = {tag: title[tag] for tag in (language, "en") if tag in title}
        self.draft.add_source(
            ident, text=text, language=language, title=source_title, origin=origin
        )
        stripped = text.strip()
        start = text.index(stripped)
        self.draft.add_story(
            ident,
            source=ident,
            span=Span(start=start, end=start + len(stripped)),
            company=company,
            principles=principles,
            title=title,
            summary=summary,
            channel=record.get("channel", "").strip() or None,
        )
        for column, value in self.texts(record, "translation").items():
            self.translation(ident, row, column, value, record)

    def translation(
        self, story: str, row: int, column: str, text: str, record: Mapping[str, str]
    ) -> None:
        tag = self.resolve("language", column.split("_", 1)[1], row, column)
        if tag is None:
            return
        translator = record.get("translator", "").strip()
        if not translator:
            self.rows.add(
                row,
                "translator",
                Message(N_("needed for {column!r}: who translated it"), column=column),
            )
            return
        try:
            alignment = self.draft.align(story, text, language=tag)
        except AlignmentError as error:
            self.rows.add(
                row,
                column,
                Message(
                    N_(
                        "{problem}; import the story without it and add the translation "
                        "with a pairs sheet"
                    ),
                    problem=without_colon(error.problems[0]),
                ),
            )
            return
        suffix = column.split("_", 1)[1]
        record_title = record.get(f"title_{suffix}", "").strip()
        record_summary = record.get(f"summary_{suffix}", "").strip()
        for what, value in (("title", record_title), ("summary", record_summary)):
            if not value:
                self.rows.add(
                    row,
                    f"{what}_{suffix}",
                    Message(N_("needed for the translation in {column!r}"), column=column),
                )
        if record_title and record_summary:
            self.draft.add_translation(
                story, alignment, translator=translator, title=record_title, summary=record_summary
            )
