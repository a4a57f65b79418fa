"""Writing a corpus by naming things, not counting characters: the `Draft`.

A draft is a corpus folder's catalog held in memory, with the text files
it is about to add. Records are added by keyword; companies, principles
and languages are referred to by any of their names, and passages by a
quotation or by their opening and closing words. Nothing touches the disk
until `Draft.save`, which checks the whole
corpus as `load` would and writes only if it is valid.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._catalog.anchors import ANCHOR_CHARS, anchored
from .._errors import CorpusError, UnknownValueError
from .._messages import N_, Message
from .._normalize import name_key
from .._public import public
from .._records import Span
from .._spdx import expression_problem
from .passages import find_passage

if TYPE_CHECKING:
    from .._corpus.corpus import Corpus
    from .align import Alignment

# The loader, the JSON decoder and the writer are imported where used:
# `import clientocracy` reads nothing and imports no JSON.
_CATALOG_FILE = "catalog.json"  # as _loading.CATALOG_FILE

__all__ = ["ANCHOR_CHARS", "Draft", "anchored"]

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")
_SECTIONS = ("languages", "companies", "principles", "sources", "stories")
_FACETS = {"language": "languages", "company": "companies", "principle": "principles"}


def _encoded(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f"cannot write {error.object[error.start : error.end]!r}, a lone surrogate, "
            "which no file can store as UTF-8; nothing was written"
        ) from None


def _empty_catalog() -> dict[str, Any]:
    from .._catalog.format import FORMAT, VERSION

    return {"format": FORMAT, "version": VERSION, **{section: [] for section in _SECTIONS}}


def _names_of(facet: str, record: Mapping[str, Any]) -> list[str]:
    """Every name a catalog record answers to, its id first."""
    names = [record.get("id"), record.get("name"), record.get("native_name")]
    if facet == "principle" and isinstance(record.get("names"), dict):
        names += list(record["names"].values())
    names += list(record.get("aliases") or ())
    return [name for name in names if isinstance(name, str)]


# An id already taken, by the kind of record.
_TAKEN = {
    "language": N_("this corpus already has a language {ident!r}; choose another id"),
    "company": N_("this corpus already has a company {ident!r}; choose another id"),
    "source": N_("this corpus already has a source {ident!r}; choose another id"),
    "principle": N_("this corpus already has a principle {ident!r}; choose another id"),
    "story": N_("this corpus already has a story {ident!r}; choose another id"),
}


@public
class Draft:
    """A corpus folder being written: records added by name and quotation, written by `save`.

    Open one with `Draft.create` (a new
    folder) or `Draft.open` (an existing
    corpus). Each `add_…` method checks what it is given at once (a name
    that names nothing, a quotation that is absent or ambiguous, an id
    used twice) and raises with what to do; `save`
    then checks the whole corpus as `load` would and
    writes it, the texts first and the catalog last, each file atomically.

    Examples:
        >>> import clientocracy, tempfile, os
        >>> folder = os.path.join(tempfile.mkdtemp(), "my-stories")
        >>> draft = clientocracy.Draft.create(folder)
        >>> draft.add_source(
        ...     "blog", language="English", title="Our blog", origin="Our own blog.",
        ...     text="Our shop. A customer left her umbrella; we drove it to her house.",
        ... )
        'blog'
        >>> draft.add_company("acme", name="Acme", industry="retail", country="GB")
        'acme'
        >>> draft.add_story(
        ...     "umbrella", source="blog", begins="A customer", ends="her house.",
        ...     company="Acme", principles=["small things matter"],
        ...     title={"en": "The umbrella"}, summary={"en": "A shop returns an umbrella."},
        ... )
        Span(start=10, end=65)
        >>> draft.save()
        <Corpus: 1 story, 1 company, 1 principle, 3 languages, 2 sources>
    """

    def __init__(
        self, folder: str, catalog: dict[str, Any], *, new: bool, base: Corpus | None
    ) -> None:
        self.folder = folder
        self._catalog = catalog
        self._new = new
        self._base = base
        self._pending: dict[str, str] = {}  # text files to write, by name in the folder
        self._indexes: dict[str, dict[str, dict[str, Any]]] = {}
        self._name_keys: dict[str, dict[str, str]] = {}
        self._files: set[str] | None = None  # the file names sources use, in lower case

    @classmethod
    def create(cls, folder: str | os.PathLike[str], *, base: Corpus | None = None) -> Draft:
        """A draft of a new corpus in *folder*, which must not exist yet or be empty.

        *base* is the corpus whose records the new one may refer to, the
        bundled one by default (as for `load`).
        """
        path = os.fspath(folder)
        if os.path.exists(path) and (not os.path.isdir(path) or os.listdir(path)):
            raise FileExistsError(
                f"{path}: not an empty folder; give a new folder, or open this corpus to add to it"
            )
        return cls(path, _empty_catalog(), new=True, base=base)

    @classmethod
    def open(cls, folder: str | os.PathLike[str], *, base: Corpus | None = None) -> Draft:
        """A draft that adds to the corpus in *folder* (its `catalog.json` is read, not checked)."""

        from .._catalog.format import MAX_CATALOG_BYTES
        from .._io.files import open_corpus
        from .._io.strict_json import decode_catalog

        path = os.fspath(folder)
        opened, name, shown = open_corpus(path, _CATALOG_FILE)
        with opened:
            data = decode_catalog(opened.read(name, MAX_CATALOG_BYTES, shown), catalog=shown)
        if not isinstance(data, dict):
            raise CorpusError([f"{shown}: top level: expected an object"])
        catalog = {**_empty_catalog(), **data}
        return cls(opened.path, catalog, new=False, base=base)

    @property
    def catalog(self) -> dict[str, Any]:
        """A copy of the catalog as it stands, as data."""
        return copy.deepcopy(self._catalog)

    # -- looking things up -------------------------------------------------------

    @property
    def base(self) -> Corpus:
        """The corpus whose records this one may refer to by id or name."""
        if self._base is None:
            from .._corpus.corpus import Corpus

            self._base = Corpus.bundled()
        return self._base

    def records(self, section: str) -> list[dict[str, Any]]:
        """The catalog's records of *section* (`"stories"`, …), as data to read or change.

        Entries that are not objects are skipped (the loader reports them).
        """
        return [r for r in self._section(section) if isinstance(r, dict)]

    def _section(self, section: str) -> list[Any]:
        records = self._catalog.setdefault(section, [])
        if not isinstance(records, list):
            raise CorpusError([f"{self.folder}: {section}: expected a list of records"])
        return records

    def _index(self, section: str) -> dict[str, dict[str, Any]]:
        """The records of *section* by id, kept up to date as records are added."""
        # A CSV import adds thousands: looking each id up in a list was quadratic.
        index = self._indexes.get(section)
        if index is None:
            index = {}
            for record in self.records(section):
                if isinstance(record.get("id"), str):
                    index.setdefault(record["id"], record)
            self._indexes[section] = index
        return index

    def _append(self, section: str, record: dict[str, Any]) -> None:
        self._section(section).append(record)
        self._index(section).setdefault(record["id"], record)
        self._name_keys.pop(section, None)

    def _names(self, facet: str) -> dict[str, str]:
        """The ids of this catalog's records of *facet*, by the name key of each of their names."""
        section = _FACETS[facet]
        names = self._name_keys.get(section)
        if names is None:
            names = {}
            for record in self.records(section):
                for name in _names_of(facet, record):
                    names.setdefault(name_key(name), str(record["id"]))
            self._name_keys[section] = names
        return names

    def _own(self, section: str, ident: str) -> dict[str, Any] | None:
        return self._index(section).get(ident)

    def has(self, section: str, ident: str) -> bool:
        """Whether the catalog has a record of id *ident* in *section* (`"stories"`, …)."""
        return ident in self._index(section)

    def resolve(self, facet: str, value: str) -> str:
        """The id of the language, company or principle *value* names, here or in the base.

        Raises `UnknownValueError` when none does.
        """
        key = name_key(value)
        if self._own(_FACETS[facet], value) is not None:
            return value
        found_here = self._names(facet).get(key)
        if found_here is not None:
            return found_here
        try:
            found: Any = getattr(self.base, facet)(value)
        except UnknownValueError as error:
            own = [str(r.get("id")) for r in self.records(_FACETS[facet])]
            close = [i for i in own if name_key(i).startswith(key[:3])]
            raise UnknownValueError(facet, value, [*close, *error.suggestions]) from None
        return str(found.id)

    def _language_texts(
        self, texts: str | Mapping[str, str], own: str, what: str
    ) -> dict[str, str]:
        """Texts by language id; a plain string is in the language *own*."""
        if isinstance(texts, str):
            texts = {own: texts}
        result: dict[str, str] = {}
        for language, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{what}: the text in {language!r} is empty")
            result[self.resolve("language", language)] = text.strip()
        return result

    def text(self, source: str) -> str:
        """The text of the source *source* (an id), in this corpus or its base."""
        record = self._own("sources", source)
        if record is None:
            try:
                return self.base.source(source).text
            except LookupError:
                own = [str(r.get("id")) for r in self.records("sources")]
                raise UnknownValueError("source", source, own[:5]) from None
        name = record.get("file")
        if not isinstance(name, str):
            raise CorpusError([f"{self.folder}: source {source!r}: field 'file' is not a string"])
        if name in self._pending:
            return self._pending[name]
        from .._catalog.format import MAX_TEXT_BYTES
        from .._io.files import open_corpus

        opened, _, _ = open_corpus(self.folder, _CATALOG_FILE)
        with opened:
            data = opened.read(name, MAX_TEXT_BYTES, os.path.join(self.folder, name))
        try:
            return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError as error:
            shown = os.path.join(self.folder, name)
            raise CorpusError([f"{shown}: byte {error.start}: not valid UTF-8"]) from None

    def _language_of(self, source: str) -> str:
        record = self._own("sources", source)
        if record is not None:
            return str(record.get("language"))
        return self.base.source(source).language.id

    def _new_id(self, section: str, ident: str, what: str) -> None:
        if not isinstance(ident, str) or not _SAFE_ID.fullmatch(ident):
            raise ValueError(
                f"{what} id {ident!r}: use letters, digits, '.', '_' and '-', "
                "starting with a letter or digit"
            )
        if self._own(section, ident) is not None:
            raise ValueError(Message(_TAKEN[what], ident=ident))

    # -- adding records ----------------------------------------------------------

    def add_language(
        self,
        id: str,
        *,
        name: str,
        native_name: str,
        direction: str = "ltr",
        aliases: Iterable[str] = (),
    ) -> str:
        """Add a language, by its BCP 47 tag (`"de"`); return the tag."""
        self._new_id("languages", id, "language")
        if direction not in ("ltr", "rtl"):
            raise ValueError(f"direction: expected 'ltr' or 'rtl', got {direction!r}")
        record = {"id": id, "name": name, "native_name": native_name, "direction": direction}
        self._append("languages", {**record, "aliases": list(aliases)})
        return id

    def add_company(
        self, id: str, *, name: str, industry: str, country: str, aliases: Iterable[str] = ()
    ) -> str:
        """Add a company; *country* is an ISO 3166-1 alpha-2 code such as `"GB"`. Return its id."""
        self._new_id("companies", id, "company")
        record = {"id": id, "name": name, "aliases": list(aliases)}
        self._append("companies", {**record, "industry": industry, "country": country})
        return id

    def add_source(
        self,
        id: str,
        *,
        text: str,
        language: str,
        title: str | Mapping[str, str],
        origin: str,
        origin_url: str | None = None,
        tags: Iterable[str] = (),
        license: str | None = None,
        rights: str | None = None,
    ) -> str:
        """Add a source text, written to `texts/<id>.txt` with its SHA-256; return its id.

        *language* is any name of the text's language. *title* is the
        source's title in that language, or titles by language (it needs
        one in its own language and one in English). *license* is the
        text's SPDX licence expression, such as `"CC-BY-4.0"`, and *rights*
        says who holds the rights and how to credit them; leave them out
        when you do not know, rather than guess.
        """
        self._new_id("sources", id, "source")
        if not text.strip():
            raise ValueError(f"source {id!r}: the text is empty")
        _check_license(license, N_("source {id!r}: license {license!r}: {problem}"), id=id)
        import hashlib

        tag = self.resolve("language", language)
        name = self._file_name(id)
        self._pending[name] = text
        entry: dict[str, Any] = {
            "id": id,
            "file": name,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "language": tag,
            "title": self._language_texts(title, tag, f"source {id!r}: title"),
            "origin": origin,
        }
        if origin_url is not None:
            entry["origin_url"] = origin_url
        entry["tags"] = list(tags)
        if license is not None:
            entry["license"] = license
        if rights is not None:
            entry["rights"] = rights
        self._append("sources", entry)
        return id

    def _file_name(self, ident: str) -> str:
        if self._files is None:
            self._files = {str(r.get("file")).lower() for r in self.records("sources")}
        taken = self._files
        name, counter = f"texts/{ident}.txt", 1
        while name.lower() in taken or (
            not self._new and os.path.lexists(os.path.join(self.folder, *name.split("/")))
        ):
            counter += 1
            name = f"texts/{ident}-{counter}.txt"
        taken.add(name.lower())
        return name

    def add_principle(
        self,
        id: str,
        *,
        names: str | Mapping[str, str],
        definition: str | Mapping[str, str],
        source: str,
        quote: str | None = None,
        begins: str | None = None,
        ends: str | None = None,
        aliases: Iterable[str] = (),
    ) -> Span:
        """Add a principle, its statement quoted from *source*; return the statement's span.

        *names* and *definition* are texts by language, or English text;
        a definition needs English. The statement is the passage of
        *source* that is *quote*, or that runs from *begins* to *ends*
        (see `find_passage`).
        """
        self._new_id("principles", id, "principle")
        text = self.text(source)
        span = find_passage(text, quote=quote, begins=begins, ends=ends)
        self._append(
            "principles",
            {
                "id": id,
                "names": self._language_texts(names, "en", f"principle {id!r}: names"),
                "aliases": list(aliases),
                "definition": self._language_texts(definition, "en", f"principle {id!r}"),
                "statement": {"source": source, **anchored(span, text)},
            },
        )
        return span

    def add_story(
        self,
        id: str,
        *,
        source: str,
        company: str,
        principles: Iterable[str],
        title: str | Mapping[str, str],
        summary: str | Mapping[str, str],
        quote: str | None = None,
        begins: str | None = None,
        ends: str | None = None,
        span: Span | None = None,
        channel: str | None = None,
    ) -> Span:
        """Add a story, the passage of *source* that is *quote* or runs from *begins* to *ends*.

        *company* and *principles* are any of their names. *title* and
        *summary* are texts by language (any name of a language), or a
        plain string in the story's own language. A *span* of offsets may
        be given instead of words. Returns the passage's span.
        """
        self._new_id("stories", id, "story")
        text = self.text(source)
        if span is None:
            span = find_passage(text, quote=quote, begins=begins, ends=ends)
        elif not 0 <= span.start < span.end <= len(text):
            raise ValueError(
                f"story {id!r}: {span} is not within the text's {len(text)} characters"
            )
        own = self._language_of(source)
        self._append(
            "stories",
            {
                "id": id,
                "source": source,
                "span": anchored(span, text),
                "company": self.resolve("company", company),
                "principles": [self.resolve("principle", p) for p in principles],
                "title": self._language_texts(title, own, f"story {id!r}: title"),
                "summary": self._language_texts(summary, own, f"story {id!r}: summary"),
                "channel": channel,
                "translations": [],
            },
        )
        return span

    def _story(self, ident: str) -> dict[str, Any]:
        record = self._own("stories", ident)
        if record is None:
            known = [str(r.get("id")) for r in self.records("stories")]
            raise UnknownValueError("story", ident, [k for k in known if k[:3] == ident[:3]])
        return record

    def passage(self, story: str) -> tuple[str, Span, str]:
        """The source text of *story*, its span, and its language id."""
        record = self._story(story)
        source = str(record.get("source"))
        text = self.text(source)
        span = record.get("span")
        start, end = (span.get("start"), span.get("end")) if isinstance(span, dict) else (0, 0)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise self._malformed(story, "span", "fix its span first (clientocracy validate)")
        return text, Span(start=start, end=end), self._language_of(source)

    def _malformed(self, story: str, field: str, what: str) -> CorpusError:
        shown = os.path.join(self.folder, _CATALOG_FILE)
        return CorpusError([f"{shown}: story {story!r}: field {field!r} is not usable; {what}"])

    def _sides(self, story: str, language: str) -> tuple[str, Span, str, str]:
        text, span, own = self.passage(story)
        return text, span, own, self.resolve("language", language)

    def align(self, story: str, translation: str, *, language: str) -> Alignment:
        """Pair *translation* (plain text in *language*) with *story*'s passage, by sentence.

        Raises `AlignmentError` when the
        sentence counts differ; its `pairs` is a pairs sheet to merge and
        read back with `read_pairs`.
        """
        from .align import align

        text, span, own, tag = self._sides(story, language)
        return align(text, span, own, translation, tag)

    def pairs(self, story: str, translation: str, *, language: str) -> str:
        """The pairs sheet of *story*'s passage and *translation*, to edit and read back."""
        from .align import sentences, write_pairs

        text, span, own, tag = self._sides(story, language)
        translated = [translation[s.slice()] for s in sentences(translation, tag)]
        return write_pairs(text, sentences(text, own, span), translated, own, tag)

    def read_pairs(self, story: str, sheet: str, *, language: str) -> Alignment:
        """Read back a pairs sheet of *story* (see `pairs`)."""
        from .align import read_pairs

        text, span, own, tag = self._sides(story, language)
        return read_pairs(sheet, text, span, own, tag)

    def add_translation(
        self,
        story: str,
        alignment: Alignment,
        *,
        translator: str,
        title: str,
        summary: str,
        review: str | None = None,
        license: str | None = None,
    ) -> None:
        """Add *alignment* (from `align`) as *story*'s translation.

        *title* and *summary* are the story's title and summary in the
        translation's language, which a translated story needs. *license*
        is the translation's SPDX licence expression (the translator's
        work only: the passage keeps its source's).
        """
        _check_license(
            license,
            N_("the translation of {story!r}: license {license!r}: {problem}"),
            story=story,
        )
        record = self._story(story)
        text, span, _ = self.passage(story)
        language = self.resolve("language", alignment.language)
        if any(t.get("language") == language for t in record.get("translations") or ()):
            raise ValueError(
                Message(
                    N_("story {story!r} already has a translation into {language!r}"),
                    story=story,
                    language=language,
                )
            )
        if alignment.span != span:
            raise ValueError(
                f"the alignment is of {alignment.span}, not of story {story!r}'s {span}"
            )
        entry: dict[str, Any] = {"language": language, "translator": translator}
        if review is not None:
            entry["review"] = review
        if license is not None:
            entry["license"] = license
        entry["segments"] = [{**anchored(s, text), "text": t} for s, t in alignment.segments]
        record.setdefault("translations", [])
        for field, kind in (("title", dict), ("summary", dict), ("translations", list)):
            if not isinstance(record.get(field), kind):
                raise self._malformed(story, field, "fix it first (clientocracy validate)")
        record["translations"].append(entry)
        record["title"][language] = title.strip()
        record["summary"][language] = summary.strip()

    # -- checking and writing ----------------------------------------------------

    def _read_file(self, name: str) -> bytes:
        if name in self._pending:
            return _encoded(self._pending[name])
        if self._new:
            raise OSError(2, "No such file")
        from .._catalog.format import MAX_TEXT_BYTES
        from .._io.files import open_corpus

        opened, _, _ = open_corpus(self.folder, _CATALOG_FILE)
        with opened:
            return opened.read(name, MAX_TEXT_BYTES, os.path.join(self.folder, name))

    def check(self) -> Corpus:
        """Check the whole corpus as `load` would; return it or raise.

        Raises `CorpusError` listing every problem.
        """
        from .._catalog.layout import catalog_json
        from .._catalog.loading import parse_corpus
        from .._corpus.corpus import Corpus

        store = parse_corpus(
            _encoded(catalog_json(self._catalog)),
            self._read_file,
            catalog=os.path.join(self.folder, _CATALOG_FILE),
            base=self.base,
        )
        return Corpus._from_store(store)

    def save(self) -> Corpus:
        """Check the whole corpus, then write it; return the corpus as loaded.

        Nothing is written unless the corpus is valid: a
        `CorpusError` lists every problem. The
        new texts are written first and the catalog last, each file
        atomically, the catalog in one stable layout (see the format
        reference) so that a corpus kept in git shows readable diffs.
        """
        from .._catalog.layout import catalog_json
        from .._io.files import write_tree

        corpus = self.check()
        catalog = _encoded(catalog_json(self._catalog))
        files = {name: _encoded(text) for name, text in self._pending.items()}
        if self._new:
            write_tree(self.folder, {**files, _CATALOG_FILE: catalog})
        else:
            self._write_into_folder(files, catalog)
        self._pending.clear()
        self._new = False
        return corpus

    def _write_into_folder(self, files: dict[str, bytes], catalog: bytes) -> None:
        """Write new texts, then the catalog; if that fails, remove the new texts again."""
        from .._io.files import write_atomically

        written: list[str] = []
        try:
            for name, data in files.items():
                target = os.path.join(self.folder, *name.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                write_atomically(target, data)
                written.append(target)
            write_atomically(os.path.join(self.folder, _CATALOG_FILE), catalog)
        except BaseException:
            for target in written:
                with contextlib.suppress(OSError):
                    os.unlink(target)
            raise


def _check_license(license: str | None, template: str, **where: str) -> None:
    """Raise `ValueError` with *template* if *license* is given and no SPDX expression."""
    if license is None:
        return
    problem = expression_problem(license)
    if problem:
        raise ValueError(Message(template, license=license, problem=problem, **where))
