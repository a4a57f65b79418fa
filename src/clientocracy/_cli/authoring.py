"""The authoring commands of `clientocracy`: new, add-…, align, repair, import-csv.

Each parses its arguments and calls the library: `Draft`,
`repair`, `import_csv`.
Nothing here checks or writes a corpus itself; what the library refuses
is printed by the main command's error handling, as for every command.
"""

from __future__ import annotations

import argparse
import os

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
    "new": """\
examples:
  clientocracy new my-stories
""",
    "add-language": """\
examples:
  clientocracy add-language my-stories de --name German --native-name Deutsch
""",
    "add-company": """\
examples:
  clientocracy add-company my-stories acme --name Acme --industry retail --country GB
""",
    "add-source": """\
examples:
  clientocracy add-source my-stories blog.txt --id acme-blog --language English \\
      --title en "Notes from the Acme shop" --origin "Our own blog."
""",
    "add-principle": """\
examples:
  clientocracy add-principle my-stories keep-what-is-lost --name en "Keep what is lost" \\
      --definition en "What a customer leaves behind is kept safe." \\
      --source acme-blog --quote "We keep everything a customer leaves behind"
""",
    "add-story": """\
examples:
  clientocracy add-story my-stories acme-umbrella --source acme-blog \\
      --begins "One rainy evening" --ends "to her house." --company Acme \\
      --principle "small things matter" --title en "The umbrella" \\
      --summary en "The shop drove a forgotten umbrella home."
""",
    "align": """\
examples:
  clientocracy align my-stories acme-umbrella --language German umbrella.de.txt -o pairs.txt

Pairs the story's sentences with the translation's and writes them as a
pairs sheet: '<' lines the story's, '>' lines the translation's, a blank
line between pairs. Delete a blank line to merge two pairs, then add the
translation with 'clientocracy add-translation … --pairs pairs.txt'.
""",
    "add-translation": """\
examples:
  clientocracy add-translation my-stories acme-umbrella --language de umbrella.de.txt \\
      --translator "Acme staff" --title "Der Regenschirm" --summary "…"
  clientocracy add-translation my-stories acme-umbrella --language de --pairs pairs.txt \\
      --translator "Acme staff" --title "Der Regenschirm" --summary "…"
""",
    "repair": """\
examples:
  clientocracy repair my-stories --dry-run
  clientocracy repair my-stories

Finds every span and segment into an edited text again by the words it
begins and ends with, and updates the offsets and the text's SHA-256.
Nothing is written unless every one is found and the corpus is valid.
""",
    "import-csv": """\
examples:
  clientocracy import-csv stories.csv my-stories

Columns: company, title, text, principles (separated by ';'), language;
optionally id, summary, channel, origin, translator, industry and
country (for a new company), and title_<tag>, summary_<tag> and
translation_<tag> for other languages.
""",
}


def _folder(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="FOLDER", help="the corpus folder")


def _texts(parser: argparse.ArgumentParser, flag: str, what: str, required: bool = True) -> None:
    parser.add_argument(
        f"--{flag}",
        nargs=2,
        action="append",
        metavar=("LANGUAGE", "TEXT"),
        required=required,
        help=f"{what} in LANGUAGE (a tag or name; repeatable)",
    )


def _passage(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_argument_group(f"the passage of {what} (a quotation, or begins and ends)")
    group.add_argument("--quote", metavar="WORDS", help="the whole passage, quoted")
    group.add_argument("--begins", metavar="WORDS", help="the words the passage begins with")
    group.add_argument("--ends", metavar="WORDS", help="the words the passage ends with")


def _aliases(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--alias", action="append", default=[], metavar="NAME", help="another name (repeatable)"
    )


def _language_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="TAG", help="the language's BCP 47 tag, such as de")
    sub.add_argument("--name", required=True, help="its English name")
    sub.add_argument("--native-name", required=True, help="its name in the language itself")
    sub.add_argument("--direction", choices=("ltr", "rtl"), default="ltr")
    _aliases(sub)


def _company_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="ID", help="the company's id, such as acme")
    sub.add_argument("--name", required=True, help="its name")
    sub.add_argument("--industry", required=True, help="such as retail")
    sub.add_argument("--country", required=True, help="ISO 3166-1 alpha-2, such as GB")
    _aliases(sub)


def _source_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("file", metavar="FILE", help="the UTF-8 text file, copied into the corpus")
    sub.add_argument("--id", dest="new_id", help="the source's id (default: the file's name)")
    sub.add_argument("--language", required=True, help="the text's language")
    _texts(sub, "title", "the source's title (its own language and English)")
    sub.add_argument("--origin", required=True, help="where the text comes from")
    sub.add_argument("--origin-url", metavar="URL", help="where it was published")
    sub.add_argument(
        "--license",
        metavar="EXPRESSION",
        help="the text's SPDX licence expression, such as CC-BY-4.0",
    )
    sub.add_argument(
        "--rights", metavar="TEXT", help="who holds the rights, and how to credit them"
    )


def _principle_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="ID", help="the principle's id")
    _texts(sub, "name", "the principle's name")
    _texts(sub, "definition", "what it means (English required)")
    sub.add_argument("--source", required=True, metavar="ID", help="the source quoted")
    _passage(sub, "its statement")
    _aliases(sub)


def _story_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("new_id", metavar="ID", help="the story's id")
    sub.add_argument("--source", required=True, metavar="ID", help="the source it is in")
    _passage(sub, "the story")
    sub.add_argument("--company", required=True, metavar="NAME", help="the company, by name")
    sub.add_argument(
        "--principle",
        action="append",
        required=True,
        metavar="NAME",
        help="a principle, by any of its names (repeatable)",
    )
    _texts(sub, "title", "the title (its own language and English)")
    _texts(sub, "summary", "the summary (English required)")
    sub.add_argument("--channel", help="social-media, phone, letter, message or in-person")


def _translation_file(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument("story", metavar="STORY", help="the story's id")
    sub.add_argument("file", metavar="FILE", help="the translation: plain text, or pairs")
    sub.add_argument("--language", required=True, help="the translation's language")


def _align_arguments(sub: argparse.ArgumentParser) -> None:
    _translation_file(sub)
    sub.add_argument(
        "-o", "--output", metavar="FILE", help="write the pairs sheet to FILE, not stdout"
    )


def _translation_arguments(sub: argparse.ArgumentParser) -> None:
    _translation_file(sub)
    sub.add_argument("--pairs", action="store_true", help="FILE is an edited pairs sheet")
    sub.add_argument("--translator", required=True, help="who translated it")
    sub.add_argument("--review", help="how the translation was checked")
    sub.add_argument("--title", required=True, help="the story's title in the language")
    sub.add_argument("--summary", required=True, help="the story's summary in the language")


def _repair_arguments(sub: argparse.ArgumentParser) -> None:
    _folder(sub)
    sub.add_argument(
        "--dry-run", action="store_true", help="report what would change, and write nothing"
    )


def _import_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("csv", metavar="CSV", help="the CSV file of stories")
    _folder(sub)


#: Each authoring command: its name, its one-line help, and what adds its arguments.
TABLE: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("new", "start an empty corpus folder", _folder),
    ("add-language", "add a language to a corpus", _language_arguments),
    ("add-company", "add a company to a corpus", _company_arguments),
    ("add-source", "add a source text to a corpus; its SHA-256 is computed", _source_arguments),
    ("add-principle", "add a principle, its statement quoted from a source",
     _principle_arguments),
    ("add-story", "add a story, its passage named by its words, not by offsets",
     _story_arguments),
    ("align", "pair a translation's sentences with a story's, as a sheet to edit",
     _align_arguments),
    ("add-translation", "add a translation of a story, from plain text or a pairs sheet",
     _translation_arguments),
    ("repair", "re-anchor spans and update hashes after a source text was edited",
     _repair_arguments),
    ("import-csv", "import the stories of a CSV file, one row a story", _import_arguments),
)  # fmt: skip


# -- running them ----------------------------------------------------------------------


def _read_text(path: str) -> str:
    """The UTF-8 text of the file *path*, for a source or a translation."""
    from .._catalog.format import MAX_TEXT_BYTES

    with open(path, "rb") as file:
        data = file.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise ValueError(f"{path}: over the limit of {MAX_TEXT_BYTES:,} bytes for a text")
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: byte {error.start}: not valid UTF-8; save it as UTF-8") from None


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
    return one_line(repr(passage))


def _named_passage(args: argparse.Namespace) -> None:
    if args.quote is None and args.begins is None and args.ends is None:
        raise ValueError("name the passage: --quote WORDS, or --begins WORDS and --ends WORDS")


def _saved(draft: Draft, out: Output, what: str) -> int:
    draft.save()
    out.line(f"{draft.folder}: {what}")
    return 0


def cmd_new(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.draft import Draft

    return _saved(Draft.create(args.folder, base=corpus), out, "a new, empty corpus")


def cmd_add_language(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    draft = _open(corpus, args)
    draft.add_language(
        args.new_id,
        name=args.name,
        native_name=args.native_name,
        direction=args.direction,
        aliases=args.alias,
    )
    return _saved(draft, out, f"added the language {args.new_id!r}")


def cmd_add_company(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    draft = _open(corpus, args)
    draft.add_company(
        args.new_id,
        name=args.name,
        industry=args.industry,
        country=args.country,
        aliases=args.alias,
    )
    return _saved(draft, out, f"added the company {args.new_id!r}")


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
    return _saved(draft, out, f"added the source {ident!r} ({len(text):,} characters)")


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
    return _saved(draft, out, f"added the principle {args.new_id!r}, stated by {statement}")


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
    where = f"[{span.start}, {span.end}) of {args.source!r}"
    return _saved(draft, out, f"added the story {args.new_id!r}: {where}, {passage}")


def cmd_align(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.align import AlignmentError
    from .._io.files import write_atomically

    draft = _open(corpus, args)
    translation = _read_text(args.file)
    sheet = draft.pairs(args.story, translation, language=args.language)
    try:
        draft.align(args.story, translation, language=args.language)
        note = "they pair one to one: add the translation from the text as it is"
    except AlignmentError as error:
        note = (
            error.problems[0].rstrip(":") + ": merge pairs in the sheet, then add it with --pairs"
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
        hint = "" if args.pairs else (
            "\nWrite the pairs with 'clientocracy align … -o pairs.txt', merge them, "
            "and add the translation with --pairs pairs.txt."
        )  # fmt: skip
        raise ValueError("\n".join(error.problems) + hint) from None
    draft.add_translation(
        args.story, alignment, translator=args.translator, title=args.title,
        summary=args.summary, review=args.review,
    )  # fmt: skip
    count = len(alignment.segments)
    return _saved(draft, out, f"added the translation of {args.story!r}: {count} segments")


def cmd_repair(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.repair import repair

    report = repair(args.folder, write=not args.dry_run)
    for line in (*report.texts, *report.moved):
        out.line(line)
    if not report.texts:
        out.line(f"{args.folder}: every text is as the catalog says; nothing to repair")
        return 0
    if report.written:
        out.line(f"{args.folder}: repaired")
    else:
        out.line(f"{args.folder}: would be repaired so (--dry-run: nothing written)")
    now = "is now" if report.written else "would be"
    for path in report.stale:
        out.line(
            f"{path}: built from {args.folder}, {now} out of date; "
            "build it again with 'clientocracy build'"
        )
    if not report.stale:
        # Only the folder and the one holding it were looked in.
        out.line(
            f"any compiled file built from {args.folder} ('clientocracy build') {now} out "
            "of date: build it again"
        )
    return 0


def cmd_import_csv(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._authoring.csv_import import import_csv

    imported = import_csv(args.csv, args.folder, base=corpus)
    count = len(imported.stories())
    out.line(f"{args.folder}: imported; it has {count} {'story' if count == 1 else 'stories'}")
    return 0
