"""The commands that read the corpus: list, search, show, random and the vocabularies."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._corpus.corpus import Corpus
from .common import (
    EXIT_NO_MATCH,
    EXIT_OK,
    PROG,
    count,
    fail,
    filtered_stories,
    given_filters,
    no_match,
    print_json,
    print_table,
    terminal_width,
)

if TYPE_CHECKING:
    from .._records import Language, SearchHit, Story
    from .output import Marked, Output


def cmd_list(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._export.records import as_dict

    stories = filtered_stories(corpus, args)
    if args.json:
        print_json(out, [as_dict(story) for story in stories])
    elif stories:
        if args.in_language is None:
            rows = [(s.id, s.company.name, s.language.id, s.title_en) for s in stories]
            title = "TITLE"
        else:
            language = corpus.language(args.in_language)
            rows = [(s.id, s.company.name, s.language.id, _title(s, language)) for s in stories]
            title = f"TITLE ({language.id})"
        print_table(out, rows, ("ID", "COMPANY", "LANG", title), args.fit_width)
    return EXIT_OK if stories else _no_list_match(corpus, args, err)


def _no_list_match(corpus: Corpus, args: argparse.Namespace, err: Output) -> int:
    """No story matches; if a --language has translations only, point to --in."""
    status = no_match(err, args)
    for name in args.language or ():
        language = corpus.language(name)
        if not corpus.stories(language=language) and any(
            t.language.id == language.id for story in corpus.stories() for t in story.translations
        ):
            err.line(
                f"--language keeps the stories told in {language.name}; to read the stories "
                f"in {language.name} (their translations), use --in {language.id}."
            )
    return status


def _title(story: Story, language: Language) -> str:
    """The story's title in *language*, or its English title if it has none there."""
    try:
        return story.title_in(language)
    except LookupError:
        return story.title_en


def cmd_search(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._export.records import as_dict
    from .output import one_line, wrap
    from .tables import display_width

    if args.limit < 0:
        return fail(err, f"--limit cannot be negative, got {args.limit}")
    query = " ".join(args.query)
    hits = corpus.search(
        query,
        company=args.company,
        principle=args.principle,
        language=args.language,
        limit=args.limit,
    )
    if args.json:
        print_json(out, [as_dict(hit) for hit in hits])
    else:
        width = terminal_width(sys.stdout)
        for number, hit in enumerate(hits):
            story = hit.story
            if number:
                out.line()
            # No score: BM25 values mean nothing to a reader (a word found in
            # every story scores about 0), and the order already ranks the hits.
            about = (
                f"{one_line(story.company.name)} · {one_line(story.language.id)}{_matched_in(hit)}"
            )
            # The id and what the hit is, on one line if they fit, else two.
            if display_width(f"{story.id}  {about}") <= width:
                out.line(out.bold(one_line(story.id)), "  ", out.dim(about))
            else:
                out.line(out.bold(one_line(story.id)))
                out.line(out.dim(wrap(about, width, indent="  ")))
            out.line(wrap(one_line(_title(story, hit.language)), width, indent="  "))
            out.line(_highlighted(hit, width))
    if not hits:
        return _no_search_match(corpus, query, args, err)
    return EXIT_OK


def _matched_in(hit: SearchHit) -> str:
    """Where a hit matched, when not in the story's own language: ` · matched in fa`."""
    from .output import one_line

    if hit.language.id == hit.story.language.id:
        return ""
    return f" · matched in {one_line(hit.language.id)}"


def _no_search_match(corpus: Corpus, query: str, args: argparse.Namespace, err: Output) -> int:
    """Say that nothing matched, naming the filters, and whether they are why."""
    from .output import one_line

    filters = given_filters(args)
    message = f"no story matches {one_line(query)!r}"
    if filters:
        message += f" with {' and '.join(filters)}"
        unfiltered = len(corpus.search(query, limit=None))
        if unfiltered:
            message += f"; without the filters, {count(unfiltered, 'story', 'stories')} "
            message += "does" if unfiltered == 1 else "do"
    err.line(f"{PROG}: {message}.")
    return EXIT_NO_MATCH


def _highlighted(hit: SearchHit, width: int) -> Marked:
    import attrs

    from .output import MARK_OFF, MARK_ON, Marked, unmark, wrap

    snippet = attrs.evolve(hit.snippet, text=unmark(hit.snippet.text))
    return Marked(wrap(snippet.marked(MARK_ON, MARK_OFF), width, indent="  "))


def _show(out: Output, story: Story, language: Language | None) -> None:
    """The story, in *language* if given; else the original, headed in English."""
    from .output import one_line, wrap

    width = terminal_width(sys.stdout)
    source = story.source
    chosen = language is not None
    language = language or story.language
    original = language.id == story.language.id
    told = f"{story.language.name} ({story.language.id})"
    facts = [
        ("company", f"{story.company.name} ({story.company.id})"),
        ("language", told if original else f"{language.name} ({language.id}), told in {told}"),
        (
            "principles",
            ", ".join(p.name_in(language) if chosen else p.name for p in story.principles),
        ),
        ("channel", story.channel or "not stated"),
        ("id", story.id),
    ]
    headline = story.title_in(language) if chosen else story.title_en
    out.line(out.bold(wrap(one_line(headline), width)))
    # Under the headline, the original's title, or the English one when the
    # original is the headline.
    second = story.title_en if chosen and original else story.title
    if second != headline:
        out.line(wrap(one_line(second), width))
    out.line()
    for name, value in facts:
        lines = wrap(one_line(value), width - 11).splitlines() or [""]
        out.line(out.dim(name.ljust(11)), lines[0])
        for line in lines[1:]:
            out.line(" " * 11, line)
    out.line()
    out.line(wrap(story.text_in(language), width))
    out.line()
    out.line(out.bold("Summary"))
    out.line(wrap(_summary(story, language) if chosen else story.summary, width))
    out.line()
    if not original:
        translation = story.translation(language)
        out.line(out.bold("Translation"))
        about = f"From {story.language.name}. Translator: {translation.translator}."
        if translation.review:
            about += f" {translation.review}"
        out.line(wrap(about, width))
        out.line()
    out.line(out.bold("Source"))
    provenance = (
        f"{source.title_en} ({source.id}, {source.language.name}), "
        f"characters {story.span.start}–{story.span.end}. {source.origin}"
    )
    out.line(wrap(provenance, width))
    if source.origin_url:
        out.line(one_line(source.origin_url))


def _summary(story: Story, language: Language) -> str:
    """The summary in *language*, or the English one (said so) where there is none."""
    try:
        return story.summary_in(language)
    except LookupError:
        return f"(in English) {story.summary}"


def _show_parallel(out: Output, story: Story, language: Language) -> None:
    """The original and a translation, segment by segment, side by side or stacked."""
    import shutil

    from .parallel import MAX_WIDTH, print_parallel

    width = min(shutil.get_terminal_size((88, 24)).columns, MAX_WIDTH)
    translation = story.translation(language)
    about = (
        f"{story.id}: {story.language.name} original, {language.name} translation, "
        f"{count(len(translation.segments), 'segment', 'segments')}"
    )
    print_parallel(
        out,
        [story.title, story.title_in(language)],
        (story.language.id, language.id),
        [(segment.original, segment.text) for segment in translation.segments],
        width,
        about=about,
    )


def cmd_show(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._export.records import as_dict

    story = corpus.story(args.id)
    language = None if args.in_language is None else corpus.language(args.in_language)
    if getattr(args, "parallel", False):
        language = language or story.language
        if language.id == story.language.id:
            if args.in_language is not None:
                return fail(
                    err,
                    f"--parallel pairs the original with a translation, and {language.name} "
                    f"is the original of {story.id!r}; name another language with --in",
                )
            others = [t.language for t in story.translations]
            language = next(
                (lang for lang in others if lang.id == "en"), others[0] if others else language
            )
        if language.id == story.language.id:
            return fail(err, f"story {story.id!r} has no translation to show beside it")
        story.translation(language)  # a LookupError here names what there is
        if args.json:
            from .._export.records import segment_rows

            rows = [r for r in segment_rows([story]) if r["language"] == language.id]
            print_json(out, rows)
        else:
            _show_parallel(out, story, language)
        return EXIT_OK
    if args.json:
        print_json(out, as_dict(story))
    else:
        if language is not None:
            story.text_in(language)  # a LookupError here names what there is
        _show(out, story, language)
    return EXIT_OK


def cmd_random(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    stories = filtered_stories(corpus, args)
    if not stories:
        return no_match(err, args)
    story = stories.random(seed=args.seed)
    chosen = argparse.Namespace(id=story.id, json=args.json, in_language=args.in_language)
    return cmd_show(corpus, chosen, out, err)


def _vocabulary(
    records: Sequence[Any],
    corpus: Corpus,
    args: argparse.Namespace,
    out: Output,
    header: Sequence[str],
    row: Callable[[Any], Sequence[str]],
) -> int:
    from .._export.records import as_dict

    if args.json:
        print_json(out, [as_dict(record, corpus=corpus) for record in records])
    else:
        print_table(out, [row(record) for record in records], header, args.fit_width)
    return EXIT_OK


def cmd_companies(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    return _vocabulary(
        corpus.companies(),
        corpus,
        args,
        out,
        ("ID", "NAME", "STORIES", "COUNTRY", "INDUSTRY"),
        lambda c: (c.id, c.name, str(len(corpus.stories(company=c))), c.country, c.industry),
    )


def cmd_principles(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    if args.json:
        return _vocabulary(corpus.principles(), corpus, args, out, (), lambda p: ())
    from .output import one_line, wrap

    width = terminal_width(sys.stdout)
    for index, principle in enumerate(corpus.principles()):
        count = len(corpus.stories(principle=principle))
        names = " · ".join(name for lang, name in principle.names if lang != "en")
        if index:
            out.line()
        out.line(
            out.bold(one_line(principle.name)),
            f" ({one_line(principle.id)}), {count} stor{'y' if count == 1 else 'ies'}",
        )
        out.line(out.dim(one_line(names)))
        out.line(wrap(principle.definition, width, indent="  "))
    return EXIT_OK


def cmd_languages(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    told = {lang.id: len(corpus.stories(language=lang)) for lang in corpus.languages()}
    status = _vocabulary(
        corpus.languages(),
        corpus,
        args,
        out,
        ("ID", "NAME", "NATIVE", "DIRECTION", "STORIES"),
        lambda lang: (lang.id, lang.name, lang.native_name, lang.direction, str(told[lang.id])),
    )
    if not args.json:
        _explain_languages_without_stories(corpus, told, out)
    return status


def _explain_languages_without_stories(corpus: Corpus, told: dict[str, int], out: Output) -> None:
    """Say why a language counts no stories when stories read in it as translations."""
    from .output import wrap

    width = terminal_width(sys.stdout)
    for language in corpus.languages():
        if told[language.id]:
            continue
        translated = sum(
            any(t.language.id == language.id for t in story.translations)
            for story in corpus.stories()
        )
        if translated:
            out.line()
            out.line(
                wrap(
                    f"STORIES counts the stories told in each language. No story is told in "
                    f"{language.name}, but {count(translated, 'story is', 'stories are')} "
                    f"translated into it: add --in {language.id} to list, show or random "
                    f"to read {'it' if translated == 1 else 'them'} in {language.name}.",
                    width,
                )
            )


# Export formats that are files, not text: they need -o and pyarrow.
