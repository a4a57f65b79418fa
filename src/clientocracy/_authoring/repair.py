"""Repairing a corpus after its texts were edited: re-anchoring spans by their words.

A span in a catalog carries its offsets and, optionally, the words its
passage begins and ends with. When a text changes, the offsets may point
at the wrong place, but the words still name the passage: `repair` finds
each passage again (the candidate nearest the old offsets, where the words
occur more than once), updates the offsets, the quoted words' exact
spacing and the text's SHA-256, and writes the catalog only if the whole
corpus is then valid.
"""

from __future__ import annotations

import os
from typing import Any

import attrs

from .._catalog.anchors import between, describe_places, nearest, spelled
from .._errors import CorpusError
from .._messages import N_, Message, at
from .._public import public
from .draft import Draft

__all__ = ["RepairReport", "repair"]


@public
@attrs.frozen(kw_only=True)
class RepairReport:
    """What `repair` changed, one line for each change.

    Attributes:
        texts: The sources whose text changed, with the old and new SHA-256.
        moved: The spans and segments that moved: where, from and to.
        written: Whether the catalog was written (false for a dry run, or
            when nothing changed).
        stale: The compiled files built from this corpus's catalog that the
            repair leaves out of date (or would, for a dry run): rebuild
            them with `compile()` or `clientocracy build`. Only the folder
            and the folder that holds it are looked in; a compiled file
            elsewhere is not found, but is out of date all the same.
    """

    texts: tuple[str, ...]
    moved: tuple[str, ...]
    written: bool
    stale: tuple[str, ...] = ()


_Anchor = tuple[str, dict[str, Any], dict[str, Any] | None]


def _anchors(draft: Draft) -> dict[str, list[_Anchor]]:
    """Every span object of the catalog, by the source it points into.

    Each comes with where it is and, for a segment, its story's span.
    """
    found: dict[str, list[_Anchor]] = {}

    def add(source: object, anchor: _Anchor) -> None:
        if isinstance(source, str):
            found.setdefault(source, []).append(anchor)

    for record in draft.records("sources"):
        if isinstance(record.get("origin_span"), dict):
            add(record.get("id"), (f"source {record.get('id')!r}: origin_span",
                                   record["origin_span"], None))  # fmt: skip
    for record in draft.records("principles"):
        statement = record.get("statement")
        if isinstance(statement, dict):
            add(statement.get("source"), (f"principle {record.get('id')!r}: statement",
                                          statement, None))  # fmt: skip
    for record in draft.records("stories"):
        span = record.get("span")
        if not isinstance(span, dict):
            continue
        story = f"story {record.get('id')!r}"
        add(record.get("source"), (f"{story}: span", span, None))
        for translation in record.get("translations") or ():
            for index, segment in enumerate(translation.get("segments") or ()):
                where = f"{story}: {translation.get('language')} segment {index}"
                add(record.get("source"), (where, segment, span))
    return found


def _reanchor(
    text: str, span: dict[str, Any], story: tuple[int, int, int, int] | None = None
) -> tuple[int, int] | str:
    """The new offsets of *span* in *text*, or what keeps it from being found.

    A segment is looked for within its *story*'s passage as it now is (old
    start and end, new start and end), near where it was in the passage:
    a short sentence that the text repeats elsewhere is still found in its
    own story.
    """
    begins, ends = span.get("begins"), span.get("ends")
    if not isinstance(begins, str) or not isinstance(ends, str):
        return Message(N_("has no 'begins' and 'ends' to find it by; fix its offsets by hand"))
    given = span.get("start")
    old = given if isinstance(given, int) else 0
    if story is None:
        places = between(text, begins, ends)
    else:
        old_start, _, new_start, new_end = story
        passage = text[new_start:new_end]
        places = [(s + new_start, e + new_start) for s, e in between(passage, begins, ends)]
        old += new_start - old_start
    found = nearest(places, old)
    if found is None:
        if story is None:
            return Message(
                N_("no passage from {begins!r} to {ends!r} is left in the text"),
                begins=begins,
                ends=ends,
            )
        return Message(
            N_("no passage from {begins!r} to {ends!r} is left in its story's passage"),
            begins=begins,
            ends=ends,
        )
    ties = [p for p in places if p != found and abs(p[0] - old) == abs(found[0] - old)]
    if ties:
        return Message(
            N_("the words fit two places equally near: {places}"),
            places=describe_places(text, [found, *ties]),
        )
    return found


def _shifted(segment: dict[str, Any], story: tuple[int, int, int, int]) -> tuple[int, int] | None:
    """A segment without words of its own, moved with its story if the passage kept its length."""
    old_start, old_end, new_start, new_end = story
    start, end = segment.get("start"), segment.get("end")
    if new_end - new_start != old_end - old_start or not isinstance(start, int):
        return None
    if not isinstance(end, int):
        return None
    return start + new_start - old_start, end + new_start - old_start


def _move(text: str, span: dict[str, Any], start: int, end: int) -> None:
    """Set *span*'s offsets, and its words to the text's own spacing of them."""
    span["start"], span["end"] = start, end
    span["begins"], span["ends"] = spelled(text, start, end, span["begins"], span["ends"])


def _repair_source(
    draft: Draft,
    record: dict[str, Any],
    anchors: list[_Anchor],
    moved: list[str],
    lost: list[str],
) -> str | None:
    """Re-anchor what points into one source if its text changed; return the change, or None."""
    import hashlib  # costs start-up time, so only when used

    ident = str(record.get("id"))
    text = draft.text(ident)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest == record.get("sha256"):
        return None
    stories: dict[int, tuple[int, int, int, int]] = {}  # by id() of a story's span
    for where, span, story in anchors:
        before = (span.get("start"), span.get("end"))
        moved_story = stories.get(id(story)) if story is not None else None
        found: tuple[int, int] | str | None = _reanchor(text, span, moved_story)
        if isinstance(found, str) and story is not None and "begins" not in span:
            found = _shifted(span, moved_story) if moved_story is not None else None
            found = found or Message(
                N_("has no 'begins' and 'ends', and its story's passage changed length")
            )
        if found is None or isinstance(found, str):
            lost.append(
                Message(
                    "{where} [{start}, {end}): {problem}",
                    where=where,
                    start=before[0],
                    end=before[1],
                    problem=found,
                )
            )
            continue
        if before != found:
            moved.append(f"{where}: [{before[0]}, {before[1]}) → [{found[0]}, {found[1]})")
        if story is None and isinstance(before[0], int) and isinstance(before[1], int):
            stories[id(span)] = (before[0], before[1], *found)
        if "begins" in span:
            _move(text, span, *found)
        else:
            span["start"], span["end"] = found
    old = record.get("sha256")
    record["sha256"] = digest
    return f"source {ident!r}: {record.get('file')}: SHA-256 {old} → {digest}"


def repair(folder: str | os.PathLike[str], *, write: bool = True) -> RepairReport:
    """Re-anchor the spans into every edited text of the corpus in *folder*, and update hashes.

    Each span and segment into a text whose SHA-256 no longer matches is
    found again by its `begins` and `ends`. The catalog is written (with
    *write*) only if every one was found and the whole corpus is then
    valid; otherwise `CorpusError` lists what
    could not be re-anchored, or what else is wrong, and nothing changes.
    The report names the compiled files found beside the folder that were
    built from it, and are out of date once it is repaired.
    """
    draft = Draft.open(folder)
    moved: list[str] = []
    lost: list[str] = []
    anchors = _anchors(draft)
    texts: list[str] = []
    for record in draft.records("sources"):
        into = anchors.get(str(record.get("id")), [])
        change = _repair_source(draft, record, into, moved, lost)
        if change is not None:
            texts.append(change)
    shown = os.path.join(draft.folder, "catalog.json")
    if lost:
        raise CorpusError([at(shown, line) for line in lost])
    if not texts:
        draft.check()
        return RepairReport(texts=(), moved=(), written=False)
    if write:
        draft.save()
    else:
        draft.check()
    stale = compiled_from(shown)
    return RepairReport(texts=tuple(texts), moved=tuple(moved), written=write, stale=stale)


#: The most files `compiled_from` opens to read what they were built from.
MAX_COMPILED_LOOKED_AT = 32


def compiled_from(catalog: str) -> tuple[str, ...]:
    """The compiled files beside the corpus of *catalog* that were built from it.

    `clientocracy build my-stories -o stories.sqlite` puts the file beside
    the folder, or in it: those two folders are looked in, for files named
    as compiled corpora are (`*.sqlite`, `*.sqlite3`, `*.db`). A file
    records the absolute paths of the catalogs it was built from (see
    `Provenance`); one that names *catalog* is listed. A file that is not a
    compiled corpus, or is damaged, is passed over: it is not this one's to
    judge. At most `MAX_COMPILED_LOOKED_AT` files are opened.
    """
    from .._stores.compiled import is_compiled
    from .._stores.sqlite import CompiledStore

    target = os.path.realpath(catalog)
    folder = os.path.dirname(os.path.abspath(catalog))  # shown as given, not resolved
    found: list[str] = []
    for path in _named_compiled(folder, os.path.dirname(folder))[:MAX_COMPILED_LOOKED_AT]:
        try:
            if not is_compiled(path):
                continue
            store = CompiledStore(path)
        except (OSError, ValueError, CorpusError):
            continue
        try:
            built_from = {os.path.realpath(named) for named, _ in store.provenance().catalogs}
        finally:
            store.close()
        if target in built_from:
            found.append(path)
    return tuple(found)


def _named_compiled(*folders: str) -> list[str]:
    """The files of *folders* (not their sub-folders) named as compiled corpora, sorted."""
    names: list[str] = []
    for folder in dict.fromkeys(folders):
        try:
            with os.scandir(folder) as entries:
                names += sorted(
                    entry.path
                    for entry in entries
                    if entry.name.lower().endswith((".sqlite", ".sqlite3", ".db"))
                    and entry.is_file(follow_symlinks=False)
                )
        except OSError:
            continue
    return names
