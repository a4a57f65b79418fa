"""The authoring commands of `clientocracy`: new, add-…, align, repair, import-csv.

Each parses its arguments and calls the library: `Draft`,
`repair`, `import_csv`.
Nothing here checks or writes a corpus itself; what the library refuses
is printed by the main command's error handling, as for every command.
"""

from __future__ import annotations

import argparse
import os

from .i18n import N_, _, figures, ngettext, number, quoted, said

# typing is left unimported at run time: `--version` and `--help` start faster.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .._authoring.draft import Draft
    from .._corpus.corpus import Corpus
    from .._records import Span
    from .output import Output

__all__ = [
    "EXAMPLES",
    "TABLE",
    "cmd_add_company",
    "cmd_add_language",
    "cmd_add_principle",
    "cmd_add_source",
    "cmd_add_story",
    "cmd_add_translation",
    "cmd_align",
    "cmd_import_csv",
    "cmd_new",
    "cmd_repair",
]

EXAMPLES = {
    "new": N_(
        """\
examples:
  clientocracy new my-stories
"""
    ),
    "add-language": N_(
        """\
examples:
  clientocracy add-language my-stories de --name German --native-name Deutsch
"""
    ),
    "add-company": N_(
        """\
examples:
  clientocracy add-company my-stories acme --name Acme --industry retail --country GB
"""
    ),
    "add-source": N_(
        """\
examples:
  clientocracy add-source my-stories blog.txt --id acme-blog --language English \\
      --title en "Notes from the Acme shop" --origin "Our own blog."
"""
    ),
    "add-principle": N_(
        """\
examples:
  clientocracy add-principle my-stories keep-what-is-lost --name en "Keep what is lost" \\
      --definition en "What a customer leaves behind is kept safe." \\
      --source acme-blog --quote "We keep everything a customer leaves behind"
"""
    ),
    "add-story": N_(
        """\
examples:
  clientocracy add-story my-stories acme-umbrella --source acme-blog \\
      --begins "One rainy evening" --ends "to her house." --company Acme \\
      --principle "small things matter" --title en "The umbrella" \\
      --summary en "The shop drove a forgotten umbrella home."
"""
    ),
    "align": N_(
        """\
examples:
  clientocracy align my-stories acme-umbrella --language German umbrella.de.txt -o pairs.txt

Pairs the story's sentences with the translation's and writes them as a
pairs sheet: '<' lines the story's, '>' lines the translation's, a blank
line between pairs. Delete a blank line to merge two pairs, then add the
translation with 'clientocracy add-translation … --pairs pairs.txt'.
"""
    ),
    "add-translation": N_(
        """\
examples:
  clientocracy add-translation my-stories acme-umbrella --language de umbrella.de.txt \\
      --translator "Acme staff" --title "Der Regenschirm" --summary "…"
  clientocracy add-translation my-stories acme-umbrella --language de --pairs pairs.txt \\
      --translator "Acme staff" --title "Der Regenschirm" --summary "…"
"""
    ),
    "repair": N_(
        """\
examples:
  clientocracy repair my-stories --dry-run
  clientocracy repair my-stories

Finds every span and segment into an edited text again by the words it
begins and ends with, and updates the offsets and the text's SHA-256.
Nothing is written unless every one is found and the corpus is valid.
"""
    ),
    "import-csv": N_(
        """\
examples:
  clientocracy import-csv stories.csv my-stories

Columns: company, title, text, principles (separated by ';'), language;
optionally id, summary, channel, origin, translator, industry and
country (for a new company), and title_<tag>, summary_<tag> and
translation_<tag> for other languages.
"""
    ),
}


def _folder(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="FOLDER", help=_("the corpus folder"))


def _texts(parser: argparse.ArgumentParser, flag: str, what: str, required: bool = True) -> None:
    parser.add_argument(
        f"--{flag}",
        nargs=2,
        action="append",
        metavar=("LANGUAGE", "TEXT"),
        required=required,
        help=_("{what} in LANGUAGE (a tag or name; repeatable)").format(what=_(what)),
    )


def _passage(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_argument_group(_(what))
    group.add_argument("--quote", metavar="WORDS", help=_("the whole passage, quoted"))
    group.add_argument("--begins", metavar="WORDS", help=_("the words the passage begins with"))
    group.add_argument("--ends", metavar="WORDS", help=_("the words the passage ends with"))


def _aliases(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--alias", action="append", default=[], metavar="NAME", help=_("another name (repeatable)")
    )


def _language_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="TAG", help=_("the language's BCP 47 tag, such as de"))
    sub.add_argument("--name", required=True, help=_("its English name"))
    sub.add_argument("--native-name", required=True, help=_("its name in the language itself"))
    sub.add_argument(
        "--direction",
        choices=("ltr", "rtl"),
        default="ltr",
        help=_("the direction of its script: ltr (the default) or rtl, right to left"),
    )
    _aliases(sub)


def _company_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="ID", help=_("the company's id, such as acme"))
    sub.add_argument("--name", required=True, help=_("its name"))
    sub.add_argument("--industry", required=True, help=_("its industry, such as retail"))
    sub.add_argument(
        "--country", required=True, help=_("its country's ISO 3166-1 alpha-2 code, such as GB")
    )
    _aliases(sub)


def _source_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("file", metavar="FILE", help=_("the UTF-8 text file, copied into the corpus"))
    sub.add_argument("--id", dest="new_id", help=_("the source's id (default: the file's name)"))
    sub.add_argument("--language", required=True, help=_("the text's language"))
    _texts(sub, "title", N_("the source's title (its own language and English)"))
    sub.add_argument("--origin", required=True, help=_("where the text comes from"))
    sub.add_argument("--origin-url", metavar="URL", help=_("where it was published"))
    sub.add_argument(
        "--license",
        metavar="EXPRESSION",
        help=_("the text's SPDX licence expression, such as CC-BY-4.0"),
    )
    sub.add_argument(
        "--rights", metavar="TEXT", help=_("who holds the rights, and how to credit them")
    )


def _principle_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="ID", help=_("the principle's id"))
    _texts(sub, "name", N_("the principle's name"))
    _texts(sub, "definition", N_("what it means (English required)"))
    sub.add_argument("--source", required=True, metavar="ID", help=_("the source quoted"))
    _passage(sub, N_("the passage of its statement (a quotation, or begins and ends)"))
    _aliases(sub)


def _story_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="ID", help=_("the story's id"))
    sub.add_argument("--source", required=True, metavar="ID", help=_("the source it is in"))
    _passage(sub, N_("the passage of the story (a quotation, or begins and ends)"))
    sub.add_argument("--company", required=True, metavar="NAME", help=_("the company, by name"))
    sub.add_argument(
        "--principle",
        action="append",
        required=True,
        metavar="NAME",
        help=_("a principle, by any of its names (repeatable)"),
    )
    _texts(sub, "title", N_("the title (its own language and English)"))
    _texts(sub, "summary", N_("the summary (English required)"))
    sub.add_argument(
        "--channel",
        help=_(
            "how the story reached the company: social-media, phone, letter, message or in-person"
        ),
    )


def _translation_file(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("story", metavar="STORY", help=_("the story's id"))
    sub.add_argument("file", metavar="FILE", help=_("the translation: plain text, or pairs"))
    sub.add_argument("--language", required=True, help=_("the translation's language"))


def _align_arguments(sub: argparse.ArgumentParser) -> None:
    _translation_file(sub)
    sub.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("write the pairs sheet to FILE, not standard output"),
    )


def _translation_arguments(sub: argparse.ArgumentParser) -> None:
    _translation_file(sub)
    sub.add_argument("--pairs", action="store_true", help=_("FILE is an edited pairs sheet"))
    sub.add_argument("--translator", required=True, help=_("who translated it"))
    sub.add_argument("--review", help=_("how the translation was checked"))
    sub.add_argument(
        "--license",
        metavar="EXPRESSION",
        help=_("the translation's SPDX licence expression, such as CC-BY-4.0"),
    )
    sub.add_argument("--title", required=True, help=_("the story's title in the language"))
    sub.add_argument("--summary", required=True, help=_("the story's summary in the language"))


def _repair_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument(
        "--dry-run", action="store_true", help=_("report what would change, and write nothing")
    )


def _import_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("csv", metavar="CSV", help=_("the CSV file of stories"))
    _folder(sub)


#: Each authoring command: its name, its one-line help, and what adds its arguments.
TABLE: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("new", N_("start an empty corpus folder"), _folder),
    ("add-language", N_("add a language to a corpus"), _language_arguments),
    ("add-company", N_("add a company to a corpus"), _company_arguments),
    ("add-source", N_("add a source text to a corpus; its SHA-256 is computed"),
     _source_arguments),
    ("add-principle", N_("add a principle, its statement quoted from a source"),
     _principle_arguments),
    ("add-story", N_("add a story, its passage named by its words, not by offsets"),
     _story_arguments),
    ("align", N_("pair a translation's sentences with a story's, as a sheet to edit"),
     _align_arguments),
    ("add-translation", N_("add a translation of a story, from plain text or a pairs sheet"),
     _translation_arguments),
    ("repair", N_("re-anchor spans and update hashes after a source text was edited"),
     _repair_arguments),
    ("import-csv", N_("import the stories of a CSV file, one row a story"), _import_arguments),
)  # fmt: skip


# -- running them ----------------------------------------------------------------------


def _read_text(path: str) -> str:
    """The UTF-8 text of the file *path*, for a source or a translation."""
    from .._catalog.format import MAX_TEXT_BYTES

    with open(path, "rb") as file:
        data = file.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise ValueError(
            _("{file}: over the limit of {limit} bytes for a text").format(
                file=path, limit=figures(f"{MAX_TEXT_BYTES:,}")
            )
        )
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(
            _("{file}: byte {offset}: not valid UTF-8; save it as UTF-8").format(
                file=path, offset=number(error.start)
            )
        ) from None


def _open(corpus: Corpus, args: argparse.Namespace) -> Draft:
    from .._authoring.draft import Draft

    return Draft.open(args.folder, base=corpus)


def _by_language(pairs: Sequence[Sequence[str]] | None) -> dict[str, str]:
    return {pair[0]: pair[1] for pair in pairs or ()}


def _shown(text: str, span: Span) -> str:
    from .output import one_line

    passage = " ".join(text[span.slice()].split())
    if len(passage) > 60:
        passage = passage[:28] + " … " + passage[-28:]
    return one_line(quoted(passage))


def _named_passage(args: argparse.Namespace) -> None:
    if args.quote is None and args.begins is None and args.ends is None:
        raise ValueError(_("name the passage: --quote WORDS, or --begins WORDS and --ends WORDS"))


def _saved(draft: Draft, out: Output, what: str) -> int:
    draft.save()
    out.line(f"{draft.folder}: {what}")
    return 0


def cmd_new(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.draft import Draft

    return _saved(Draft.create(args.folder, base=corpus), out, _("a new, empty corpus"))


def cmd_add_language(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    draft = _open(corpus, args)
    draft.add_language(
        args.new_id,
        name=args.name,
        native_name=args.native_name,
        direction=args.direction,
        aliases=args.alias,
    )
    return _saved(draft, out, _("added the language {id}").format(id=quoted(args.new_id)))


def cmd_add_company(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    draft = _open(corpus, args)
    draft.add_company(
        args.new_id,
        name=args.name,
        industry=args.industry,
        country=args.country,
        aliases=args.alias,
    )
    return _saved(draft, out, _("added the company {id}").format(id=quoted(args.new_id)))


def cmd_add_source(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    draft = _open(corpus, args)
    ident = args.new_id or os.path.splitext(os.path.basename(args.file))[0]
    text = _read_text(args.file)
    draft.add_source(
        ident,
        text=text,
        language=args.language,
        title=_by_language(args.title),
        origin=args.origin,
        origin_url=args.origin_url,
        license=args.license,
        rights=args.rights,
    )
    added = ngettext(
        "added the source {id} ({count} character)",
        "added the source {id} ({count} characters)",
        len(text),
    ).format(id=quoted(ident), count=figures(f"{len(text):,}"))
    return _saved(draft, out, added)


def cmd_add_principle(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    _named_passage(args)
    draft = _open(corpus, args)
    span = draft.add_principle(
        args.new_id,
        names=_by_language(args.name),
        definition=_by_language(args.definition),
        source=args.source,
        quote=args.quote,
        begins=args.begins,
        ends=args.ends,
        aliases=args.alias,
    )
    statement = _shown(draft.text(args.source), span)
    added = _("added the principle {id}, stated by {statement}")
    return _saved(draft, out, added.format(id=quoted(args.new_id), statement=statement))


def cmd_add_story(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    _named_passage(args)
    draft = _open(corpus, args)
    span = draft.add_story(
        args.new_id,
        source=args.source,
        quote=args.quote,
        begins=args.begins,
        ends=args.ends,
        company=args.company,
        principles=args.principle,
        title=_by_language(args.title),
        summary=_by_language(args.summary),
        channel=args.channel,
    )
    passage = _shown(draft.text(args.source), span)
    added = _("added the story {id}: [{start}, {end}) of {source}, {passage}").format(
        id=quoted(args.new_id),
        start=number(span.start),
        end=number(span.end),
        source=quoted(args.source),
        passage=passage,
    )
    return _saved(draft, out, added)


def cmd_align(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.align import AlignmentError, without_colon
    from .._io.files import write_atomically

    draft = _open(corpus, args)
    translation = _read_text(args.file)
    sheet = draft.pairs(args.story, translation, language=args.language)
    try:
        draft.align(args.story, translation, language=args.language)
        note = _("they pair one to one: add the translation from the text as it is")
    except AlignmentError as error:
        note = (
            said(without_colon(error.problems[0]))
            + ": "
            + _("merge pairs in the sheet, then add it with --pairs")
        )
    if args.output is None:
        out.write(sheet)
    else:
        write_atomically(args.output, sheet.encode("utf-8"))
    err.line(f"{args.story}: {note}")
    return 0


def cmd_add_translation(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.align import AlignmentError

    draft = _open(corpus, args)
    given = _read_text(args.file)
    try:
        if args.pairs:
            alignment = draft.read_pairs(args.story, given, language=args.language)
        else:
            alignment = draft.align(args.story, given, language=args.language)
    except AlignmentError as error:
        hint = "" if args.pairs else "\n" + _(
            "Write the pairs with 'clientocracy align … -o pairs.txt', merge them, "
            "and add the translation with --pairs pairs.txt."
        )  # fmt: skip
        raise ValueError("\n".join(map(said, error.problems)) + hint) from None
    draft.add_translation(
        args.story, alignment, translator=args.translator, title=args.title,
        summary=args.summary, review=args.review, license=args.license,
    )  # fmt: skip
    count = len(alignment.segments)
    added = ngettext(
        "added the translation of {story}: {count} segment",
        "added the translation of {story}: {count} segments",
        count,
    ).format(story=quoted(args.story), count=number(count))
    return _saved(draft, out, added)


def cmd_repair(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.repair import repair

    report = repair(args.folder, write=not args.dry_run)
    for line in (*report.texts, *report.moved):
        out.line(line)
    if not report.texts:
        out.line(f"{args.folder}: " + _("every text is as the catalog says; nothing to repair"))
        return 0
    if report.written:
        out.line(f"{args.folder}: " + _("repaired"))
    else:
        out.line(f"{args.folder}: " + _("would be repaired so (--dry-run: nothing written)"))
    for path in report.stale:
        stale = (
            _("built from {folder}, is now out of date; build it again with 'clientocracy build'")
            if report.written
            else _(
                "built from {folder}, would be out of date; build it again with "
                "'clientocracy build'"
            )
        )
        out.line(f"{path}: " + stale.format(folder=args.folder))
    if not report.stale:
        # Only the folder and the one holding it were looked in.
        anywhere = (
            _(
                "any compiled file built from {folder} ('clientocracy build') is now out of "
                "date: build it again"
            )
            if report.written
            else _(
                "any compiled file built from {folder} ('clientocracy build') would be out "
                "of date: build it again"
            )
        )
        out.line(anywhere.format(folder=args.folder))
    return 0


def cmd_import_csv(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.csv_import import import_csv

    imported = import_csv(args.csv, args.folder, base=corpus)
    count = len(imported.stories())
    imported_line = ngettext(
        "imported; it has {count} story", "imported; it has {count} stories", count
    ).format(count=number(count))
    out.line(f"{args.folder}: {imported_line}")
    return 0
