"""Building records from a checked catalog, one function per section of the format."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._errors import CorpusError
from .._messages import N_, Message, joined, quoted
from .._records import (
    CHANNELS,
    MAX_TRANSLATIONS,
    Company,
    Language,
    Principle,
    Quote,
    Segment,
    Source,
    Span,
    Story,
    Translation,
    checked_segment,
)
from .checks import Good, Problems, check_fields, check_span, decode_text, short
from .format import SEGMENT_FIELDS, TRANSLATION_FIELDS, ReadFile

if TYPE_CHECKING:
    from .._corpus.corpus import Corpus


class Resolver:
    """Finds referenced records: the catalog's own first, then the base corpus's."""

    def __init__(self, base: Corpus | None, problems: Problems) -> None:
        self.base = base
        self.problems = problems
        self.borrowed: dict[tuple[str, str], Any] = {}
        # Records that exist but failed their own checks: already reported.
        self.broken: set[tuple[str, str]] = set()
        # What "known: …" lists, by facet and number of local records.
        self.known: dict[tuple[str, int], str] = {}

    def find(self, local: Mapping[str, Any], facet: str, ident: str, where: str, field: str) -> Any:
        if ident in local:
            return local[ident]
        if (facet, ident) in self.broken:
            return None
        # Thousands of stories name the same few bundled principles.
        borrowed = self.borrowed.get((facet, ident))
        if borrowed is not None:
            return borrowed
        if self.base is not None:
            try:
                record = getattr(self.base, facet)(ident)
            except LookupError:
                pass
            else:
                if record.id == ident:
                    self._borrow(facet, record)
                    return record
        # The same listing for every bad reference to a facet: building it
        # each time made a catalog of many bad references quadratic.
        shown = self.known.get((facet, len(local)))
        if shown is None:
            known = sorted(local)
            if self.base is not None:
                known += [r.id for r in getattr(self.base, _PLURAL[facet])() if r.id not in local]
            listed = [*known[:12], *(["…"] if len(known) > 12 else [])]
            shown = joined(listed, ", ") if listed else Message(N_("none"))
            self.known[(facet, len(local))] = shown
        self.problems.add(where, Message(_NO_SUCH[facet], field=field, ident=ident, known=shown))
        return None

    def _borrow(self, facet: str, record: Any) -> None:
        """Take *record* from the base corpus, with every record it refers to.

        A borrowed record then is a whole: saved and loaded again, it finds
        what it names (a principle's source, the languages of its names) in
        the corpus itself.
        """
        if (facet, record.id) in self.borrowed:
            return
        self.borrowed[(facet, record.id)] = record
        tags: list[str] = []
        if isinstance(record, Principle):
            self._borrow("source", record.statement.source)
            tags = [tag for tag, _ in (*record.names, *record.definitions)]
        elif isinstance(record, Source):
            self._borrow("language", record.language)
            tags = [tag for tag, _ in record.titles]
        assert self.base is not None
        for tag in tags:
            try:
                language = self.base.language(tag)
            except LookupError:
                continue
            if language.id == tag:
                self._borrow("language", language)


# A reference to nothing, by the facet referred to.
_NO_SUCH = {
    "language": N_("field {field!r}: no language has id {ident!r} (known: {known})"),
    "company": N_("field {field!r}: no company has id {ident!r} (known: {known})"),
    "principle": N_("field {field!r}: no principle has id {ident!r} (known: {known})"),
    "source": N_("field {field!r}: no source has id {ident!r} (known: {known})"),
}

_PLURAL = {
    "language": "languages",
    "company": "companies",
    "principle": "principles",
    "source": "sources",
}


class Build:
    """What building a corpus has made so far: the records of each section, by id."""

    def __init__(self, catalog: str, version: int, problems: Problems, resolver: Resolver):
        self.catalog = catalog
        self.version = version
        self.problems = problems
        self.resolver = resolver
        self.places: dict[tuple[str, str], str] = {}
        self.languages: dict[str, Language] = {}
        self.companies: dict[str, Company] = {}
        self.sources: dict[str, Source] = {}
        self.principles: dict[str, Principle] = {}
        self.stories: list[Story] = []

    def defined(self, facet: str, ident: str, label: str) -> None:
        self.places[(facet, ident)] = f"{self.catalog}: {label}"

    def language(self, ident: str, where: str, field: str) -> Language | None:
        found: Language | None = self.resolver.find(self.languages, "language", ident, where, field)
        return found

    def texts(
        self,
        value: Mapping[str, str],
        where: str,
        field: str,
        required: Iterable[str],
        allowed: Iterable[str] | None = None,
    ) -> tuple[tuple[str, str], ...] | None:
        """Check an object of language tag → text; return it as pairs, or None.

        With *allowed*, a text in any other language is refused: a story's
        title in a language it has no text in would name nothing to read.
        """
        ok = all(self.language(tag, where, field) is not None for tag in value)
        if allowed is not None:
            ok = self._allowed(value, where, field, list(dict.fromkeys(allowed))) and ok
        missing = [tag for tag in dict.fromkeys(required) if tag not in value]
        if missing:
            self.problems.add(
                where,
                Message(
                    N_("field {field!r}: needs a text in {tags}"),
                    field=field,
                    tags=quoted(missing),
                ),
            )
            ok = False
        return tuple(value.items()) if ok else None

    def _allowed(
        self, value: Mapping[str, str], where: str, field: str, allowed: list[str]
    ) -> bool:
        ok = True
        for tag in value:
            if tag not in allowed:
                self.problems.add(
                    where,
                    Message(
                        N_(
                            "field {field!r}: a text in {tag!r}, which the story is neither "
                            "told nor translated in; it may use {allowed} (add a translation "
                            "into {tag!r} first)"
                        ),
                        field=field,
                        tag=tag,
                        allowed=quoted(allowed),
                    ),
                )
                ok = False
        return ok


def build_languages(items: Good, build: Build) -> None:
    for label, item in items:
        build.defined("language", item["id"], label)
        build.languages[item["id"]] = Language(
            id=item["id"],
            name=item["name"],
            native_name=item["native_name"],
            direction=item["direction"],
            aliases=tuple(item.get("aliases", ())),
        )


def build_companies(items: Good, build: Build) -> None:
    for label, item in items:
        build.defined("company", item["id"], label)
        build.companies[item["id"]] = Company(
            id=item["id"],
            name=item["name"],
            aliases=tuple(item.get("aliases", ())),
            industry=item["industry"],
            country=item["country"],
        )


def build_sources(items: Good, build: Build, read_file: ReadFile, *, verify_hashes: bool) -> None:
    problems, resolver = build.problems, build.resolver
    for label, item in items:
        resolver.broken.add(("source", item["id"]))  # until it passes every check
        file = item["file"]
        language = build.language(item["language"], label, "language")
        if build.version == 1:
            titles: tuple[tuple[str, str], ...] | None = _v1_titles(
                item["language"], item["title"], item["title_en"]
            )
        else:
            titles = build.texts(item["title"], label, "title", (item["language"], "en"))
        try:
            content = read_file(file)
        except CorpusError as error:
            problems.lines.extend(error.problems)
            continue
        except OSError as error:
            problems.add(
                label,
                Message(
                    N_("field 'file': cannot read {file!r}: {reason}"),
                    file=file,
                    reason=error.strerror or str(error),
                ),
            )
            continue
        text = decode_text(content, file, problems)
        if text is None or language is None or titles is None:
            continue
        digest = _checked_digest(item, content, label, problems, verify_hashes=verify_hashes)
        if digest is None:
            continue
        origin_span = None
        if item.get("origin_span") is not None:
            origin_span = check_span(item["origin_span"], text, label, "origin_span", problems)
            if origin_span is None:
                continue
        resolver.broken.discard(("source", item["id"]))
        build.defined("source", item["id"], label)
        build.sources[item["id"]] = Source(
            id=item["id"],
            language=language,
            titles=titles,
            text=text,
            sha256=digest,
            origin=item["origin"],
            origin_url=item.get("origin_url"),
            origin_span=origin_span,
            tags=tuple(item.get("tags", ())),
            license=item.get("license"),
            rights=item.get("rights"),
        )


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _hash(content: bytes) -> str:
    """The SHA-256 of a text file's bytes, less any byte-order mark."""
    import hashlib  # costs milliseconds at start-up, so only when used

    # The bytes read are the text's UTF-8 (it decoded), less any BOM:
    # hashing them spares encoding megabytes of text again.
    body = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    return hashlib.sha256(body).hexdigest()


def _checked_digest(
    item: Mapping[str, Any], content: bytes, label: str, problems: Problems, *, verify_hashes: bool
) -> str | None:
    """The text's SHA-256 if the catalog declares it, or None after saying which would fit."""
    file, declared = item["file"], item["sha256"]
    if not _SHA256.fullmatch(declared):
        problems.add(
            label,
            Message(
                N_(
                    "field 'sha256': expected 64 lowercase hexadecimal digits, got "
                    "{declared!r}; {file!r} has SHA-256 {actual}"
                ),
                declared=short(declared),
                file=file,
                actual=_hash(content),
            ),
        )
        return None
    digest = _hash(content) if verify_hashes else declared
    if digest != declared:
        problems.add(
            label,
            Message(
                N_(
                    "field 'sha256': {file!r} has SHA-256 {actual}, not the {declared} "
                    "the catalog declares; restore the file or update the hash"
                ),
                file=file,
                actual=digest,
                declared=declared,
            ),
        )
        return None
    return str(digest)


def _v1_titles(own: str, title: str, title_en: str) -> tuple[tuple[str, str], ...]:
    """A version 1 title and English title; one title when the text is English."""
    return ((own, title),) if own == "en" else ((own, title), ("en", title_en))


def _english_first(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs, key=lambda pair: pair[0] != "en"))


def build_principles(items: Good, build: Build) -> None:
    resolver = build.resolver
    for label, item in items:
        resolver.broken.add(("principle", item["id"]))  # until it passes every check
        statement = item["statement"]
        source = resolver.find(
            build.sources, "source", statement["source"], label, "statement.source"
        )
        names = build.texts(item["names"], label, "names", ())
        if build.version == 1:
            definitions: tuple[tuple[str, str], ...] | None = (("en", item["definition"]),)
        else:
            definitions = build.texts(item["definition"], label, "definition", ("en",))
        if source is None or names is None or definitions is None:
            continue
        span = check_span(statement, source.text, label, "statement", build.problems)
        if span is None:
            continue
        resolver.broken.discard(("principle", item["id"]))
        build.defined("principle", item["id"], label)
        build.principles[item["id"]] = Principle(
            id=item["id"],
            names=_english_first(names),
            aliases=tuple(item.get("aliases", ())),
            definitions=_english_first(definitions),
            statement=Quote(source=source, span=span),
        )


def build_stories(items: Good, build: Build) -> None:
    problems, resolver = build.problems, build.resolver
    for label, item in items:
        source = resolver.find(build.sources, "source", item["source"], label, "source")
        company = resolver.find(build.companies, "company", item["company"], label, "company")
        story_principles = [
            resolver.find(build.principles, "principle", pid, label, "principles")
            for pid in item["principles"]
        ]
        refs_ok = source is not None and company is not None and None not in story_principles
        if len(set(item["principles"])) != len(item["principles"]):
            problems.add(label, Message(N_("field 'principles': lists a principle twice")))
            refs_ok = False
        channel = item.get("channel")
        if channel is not None and channel not in CHANNELS:
            problems.add(
                label,
                Message(
                    N_("field 'channel': expected one of {channels}, got {value!r}"),
                    channels=joined(CHANNELS, ", "),
                    value=channel,
                ),
            )
            refs_ok = False
        if not refs_ok:
            continue
        own = source.language.id
        span = check_span(item["span"], source.text, label, "span", problems)
        translations = None
        if span is not None:
            translations = build_translations(
                item.get("translations", []), source, span, f"{label}: translations", build
            )
        titles: tuple[tuple[str, str], ...] | None
        summaries: tuple[tuple[str, str], ...] | None
        if build.version == 1:
            titles = _v1_titles(own, item["title"], item["title_en"])
            summaries = (("en", item["summary"]),)
        else:
            translated = [t.language.id for t in translations or ()]
            # English is the dataset's common language: every story has an
            # English title and summary, whatever languages it is told in.
            allowed = None if translations is None else (own, "en", *translated)
            titles = build.texts(item["title"], label, "title", (own, "en", *translated), allowed)
            summaries = build.texts(item["summary"], label, "summary", ("en", *translated), allowed)
        if span is None or translations is None or titles is None or summaries is None:
            continue
        build.defined("story", item["id"], label)
        build.stories.append(
            Story(
                id=item["id"],
                titles=titles,
                summaries=summaries,
                company=company,
                principles=tuple(story_principles),
                language=source.language,
                source=source,
                span=span,
                channel=channel,
                translations=translations,
            )
        )


def build_translations(
    items: list[Any], source: Source, span: Span, where: str, build: Build
) -> tuple[Translation, ...] | None:
    """Check a story's translations; return them, or None after reporting every problem."""
    problems = build.problems
    if len(items) > MAX_TRANSLATIONS:
        problems.add(
            where,
            Message(
                N_(
                    "{count} translations, over the limit of {limit} for one story "
                    "(search numbers a story's texts in one byte); keep the most useful ones"
                ),
                count=len(items),
                limit=MAX_TRANSLATIONS,
            ),
        )
        return None
    translations: list[Translation] = []
    seen: set[str] = set()
    ok = True
    for index, item in enumerate(items):
        place = f"{where}[{index}]"
        if isinstance(item, dict) and isinstance(item.get("language"), str):
            place += f" ({item['language']!r})"
        if not check_fields(item, TRANSLATION_FIELDS, place, problems):
            ok = False
            continue
        language = build.language(item["language"], place, "language")
        if language is None:
            ok = False
            continue
        if language.id == source.language.id:
            problems.add(
                place,
                Message(
                    N_(
                        "field 'language': {language!r} is the story's own language; "
                        "the original is the story's text, not a translation"
                    ),
                    language=language.id,
                ),
            )
            ok = False
            continue
        if language.id in seen:
            problems.add(
                place,
                Message(
                    N_("field 'language': a second translation into {language!r}"),
                    language=language.id,
                ),
            )
            ok = False
            continue
        seen.add(language.id)
        segments = build_segments(item["segments"], source.text, span, place, problems)
        if segments is None:
            ok = False
            continue
        translations.append(
            Translation(
                language=language,
                segments=segments,
                translator=item["translator"],
                review=item.get("review"),
                license=item.get("license"),
            )
        )
    return tuple(translations) if ok else None


def build_segments(
    items: list[Any], text: str, span: Span, where: str, problems: Problems
) -> tuple[Segment, ...] | None:
    """Check that segments are well formed, in order, and cover the passage exactly."""
    if not items:
        problems.add(where, Message(N_("field 'segments': must list at least one segment")))
        return None
    plain = _plain_segments(items, text, span)
    if plain is not None:
        return plain
    segments: list[Segment] = []
    ok = True
    covered = span.start  # where the part of the passage not yet covered starts
    for index, item in enumerate(items):
        place = f"{where}: segments[{index}]"
        if not check_fields(item, SEGMENT_FIELDS, place, problems):
            ok = False
            continue
        start, end, rendered = item["start"], item["end"], item["text"]
        if not span.start <= start < end <= span.end:
            problems.add(
                place,
                Message(
                    N_(
                        "[{start}, {end}) must be non-empty and within the story's span "
                        "[{first}, {last})"
                    ),
                    start=start,
                    end=end,
                    first=span.start,
                    last=span.end,
                ),
            )
            ok = False
            continue
        if start < covered:
            problems.add(
                place,
                Message(
                    N_(
                        "starts at {start}, inside the previous segment (which ends at "
                        "{covered}); segments must be in order and must not overlap"
                    ),
                    start=start,
                    covered=covered,
                ),
            )
            ok = False
        elif text[covered:start].strip():
            problems.add(
                place,
                Message(
                    N_(
                        "leaves [{covered}, {start}) of the passage untranslated "
                        "({gap!r}); extend a segment over it"
                    ),
                    covered=covered,
                    start=start,
                    gap=short(text[covered:start].strip()),
                ),
            )
            ok = False
        checked = check_span(item, text, place, "span", problems)
        if checked is None:
            ok = False
        if ok:
            segments.append(
                Segment(
                    span=Span(start=start, end=end),
                    original=text[start:end],
                    text=rendered,
                    paragraph=bool(segments) and "\n" in text[covered:start],
                )
            )
        covered = max(covered, end)
    if ok and text[covered : span.end].strip():
        problems.add(
            where,
            Message(
                N_(
                    "field 'segments': [{covered}, {end}) at the end of the passage is "
                    "untranslated; extend the last segment over it"
                ),
                covered=covered,
                end=span.end,
            ),
        )
        ok = False
    return tuple(segments) if ok else None


_SEGMENT_KEYS = frozenset(SEGMENT_FIELDS)


def _plain_segments(items: list[Any], text: str, span: Span) -> tuple[Segment, ...] | None:
    """The segments, when every one is plainly good; None to have them checked one by one.

    A catalog of translations has millions of segments, nearly all good:
    this accepts only what the full check (the rest of `build_segments`)
    accepts, with as little work a segment as it can, and leaves anything
    unusual to the full check, which says what is wrong and where.
    """
    segments: list[Segment] = []
    add = segments.append
    covered = span.start
    last = span.end
    for item in items:
        if type(item) is not dict:
            return None
        start, end, rendered = item.get("start"), item.get("end"), item.get("text")
        if type(start) is not int or type(end) is not int or not covered <= start < end <= last:
            return None
        if type(rendered) is not str or not rendered or rendered[:1].isspace():
            return None
        # Three fields found: with three keys, there is none other.
        if len(item) != 3 and not _plain_extras(item, text[start:end]):
            return None
        gap = text[covered:start]
        if gap and not gap.isspace():
            return None
        add(checked_segment(start, end, text[start:end], rendered, bool(segments) and "\n" in gap))
        covered = end
    rest = text[covered:last]
    if rest and not rest.isspace():
        return None
    return tuple(segments)


def _plain_extras(item: dict[str, Any], passage: str) -> bool:
    """Whether a segment's fields beyond the three are a good `begins` and `ends` that fit."""
    if not item.keys() <= _SEGMENT_KEYS:
        return False
    for name, matches in (("begins", passage.startswith), ("ends", passage.endswith)):
        if name in item:
            value = item[name]
            if type(value) is not str or not value or value[:1].isspace() or not matches(value):
                return False
    return True
