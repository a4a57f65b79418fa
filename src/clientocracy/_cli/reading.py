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
    fail,
    filtered_stories,
    given_filters,
    no_match,
    print_json,
    print_table,
    reading_language,
    terminal_size,
    terminal_width,
)
from .i18n import (
    CHANNEL_NAMES,
    _,
    comma,
    current,
    language_name,
    listed,
    ngettext,
    number,
    quoted,
)

if TYPE_CHECKING:
    from .._records import Language, Story
    from .._search.hits import SearchHit
    from .output import Marked, Output


def cmd_list(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    stories = filtered_stories(corpus, args)
    if args.json:
        from .._export.records import as_dict

        print_json(out, [as_dict(story) for story in stories])
    elif stories:
        language = reading_language(corpus, args)
        if language is None:
            rows = [(s.id, s.company.name, s.language.id, s.title_en) for s in stories]
            title = _("TITLE")
        else:
            rows = [
                (s.id, s.company.name_in(language), s.language.id, _title(s, language))
                for s in stories
            ]
            title = _("TITLE") + (f" ({language.id})" if args.in_language else "")
        header = (_("ID"), _("COMPANY"), _("LANG"), title)
        print_table(out, rows, header, args.fit_width)
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
                _(
                    "--language keeps the stories told in {language}; to read the stories "
                    "in {language} (their translations), use --in {tag}."
                ).format(language=language_name(language), tag=language.id)
            )
    return status


def _title(story: Story, language: Language) -> str:
    """The story's title in *language*, or its English title if it has none there."""
    try:
        return story.title_in(language)
    except LookupError:
        return story.title_en


def cmd_search(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    if args.limit < 0:
        return fail(err, _("--limit cannot be negative, got {limit}").format(limit=args.limit))
    query = " ".join(args.query)
    hits = corpus.search(
        query,
        company=args.company,
        principle=args.principle,
        language=args.language,
        limit=args.limit,
    )
    if args.json:
        from .._export.records import as_dict

        print_json(out, [as_dict(hit) for hit in hits])
    else:
        language = reading_language(corpus, args)
        for number, hit in enumerate(hits):
            if number:
                out.line()
            _print_hit(out, hit, language)
    if not hits:
        return _no_search_match(corpus, query, args, err)
    return EXIT_OK


def _print_hit(out: Output, hit: SearchHit, language: Language | None) -> None:
    """One hit: its id and what it is, its title, the snippet with the words found."""
    from .output import one_line, wrap
    from .tables import display_width

    width = terminal_width(sys.stdout)
    story = hit.story
    company = story.company.name_in(language) if language else story.company.name
    # No score: BM25 values mean nothing to a reader (a word found in every
    # story scores about 0), and the order already ranks the hits.
    about = f"{one_line(company)} · {one_line(story.language.id)}{_matched_in(hit)}"
    # The id and what the hit is, on one line if they fit, else two.
    if display_width(f"{story.id}  {about}") <= width:
        out.line(out.bold(one_line(story.id)), "  ", out.dim(about))
    else:
        out.line(out.bold(one_line(story.id)))
        out.line(out.dim(wrap(about, width, indent="  ")))
    out.line(wrap(one_line(_title(story, hit.language)), width, indent="  "))
    out.line(_highlighted(hit, width))


def _matched_in(hit: SearchHit) -> str:
    """Where a hit matched, when not in the story's own language: ` · matched in fa`."""
    from .output import one_line

    if hit.language.id == hit.story.language.id:
        return ""
    return " · " + _("matched in {language}").format(language=one_line(hit.language.id))


def _no_search_match(corpus: Corpus, query: str, args: argparse.Namespace, err: Output) -> int:
    """Say that nothing matched, naming the filters, and whether they are why."""
    from .output import one_line

    filters = given_filters(args)
    shown = quoted(one_line(query))
    if not filters:
        message = _("no story matches {query}.").format(query=shown)
    else:
        message = _("no story matches {query} with {filters}").format(
            query=shown, filters=listed(filters)
        )
        # Counted in the index alone: making every hit's snippet to count them
        # cost seconds for a common word.
        unfiltered = corpus._count_matches(query)
        if unfiltered:
            message += "; " + ngettext(
                "without the filters, {count} story does.",
                "without the filters, {count} stories do.",
                unfiltered,
            ).format(count=number(unfiltered))
        else:
            message += "."
    err.line(f"{PROG}: {message}")
    return EXIT_NO_MATCH


def _highlighted(hit: SearchHit, width: int) -> Marked:
    import attrs

    from .output import MARK_OFF, MARK_ON, Marked, unmark, wrap

    snippet = attrs.evolve(hit.snippet, text=unmark(hit.snippet.text))
    return Marked(wrap(snippet.marked(MARK_ON, MARK_OFF), width, indent="  "))


def _show(out: Output, story: Story, language: Language | None, heading: Language | None) -> None:
    """The story, in *language* if given, else the original; titled in *heading* if given."""
    from .output import one_line, wrap

    width = terminal_width(sys.stdout)
    label_width = 11 if current() == "en" else 13
    shown = language or story.language
    names = heading or language
    headline = _title(story, names) if names else story.title_en
    out.line(out.bold(wrap(one_line(headline), width)))
    # Under the headline, the original's title, or the English one when the
    # original is the headline.
    second = story.title_en if headline == story.title else story.title
    if second != headline:
        out.line(wrap(one_line(second), width))
    out.line()
    for name, value in _facts(story, shown, names):
        lines = wrap(one_line(value), width - label_width).splitlines() or [""]
        out.line(out.dim(name.ljust(label_width)), lines[0])
        for line in lines[1:]:
            out.line(" " * label_width, line)
    out.line()
    out.line(wrap(story.text_in(shown), width))
    out.line()
    out.line(out.bold(_("Summary")))
    out.line(wrap(_summary(story, names) if names else story.summary, width))
    out.line()
    if shown.id != story.language.id:
        translation = story.translation(shown)
        out.line(out.bold(_("Translation")))
        about = _("From {language}. Translator: {translator}.").format(
            language=language_name(story.language), translator=translation.translator
        )
        if translation.review:
            about += f" {translation.review}"
        out.line(wrap(about, width))
        out.line()
    _print_source(out, story, width)


def _facts(story: Story, shown: Language, names: Language | None) -> list[tuple[str, str]]:
    """The labelled facts under a story's title, names in *names* (a language) if given."""
    told = f"{language_name(story.language)} ({story.language.id})"
    if shown.id == story.language.id:
        language = told
    else:
        language = _("{language} ({tag}), told in {original}").format(
            language=language_name(shown), tag=shown.id, original=told
        )
    company = story.company.name_in(names) if names else story.company.name
    principles = [p.name_in(names) if names else p.name for p in story.principles]
    channel = _(CHANNEL_NAMES[story.channel]) if story.channel in CHANNEL_NAMES else None
    return [
        (_("company"), f"{company} ({story.company.id})"),
        (_("language"), language),
        (_("principles"), comma().join(principles)),
        (_("channel"), channel or story.channel or _("not stated")),
        (_("id"), story.id),
    ]


def _print_source(out: Output, story: Story, width: int) -> None:
    from .output import one_line, wrap

    source = story.source
    out.line(out.bold(_("Source")))
    provenance = _("{title} ({id}, {language}), characters {start}–{end}.").format(
        title=source.title_en,
        id=source.id,
        language=language_name(source.language),
        start=number(story.span.start),
        end=number(story.span.end),
    )
    # The origin is data, written in English.
    out.line(wrap(f"{provenance} {source.origin}", width))
    if source.origin_url:
        out.line(one_line(source.origin_url))
    if source.license or source.rights:
        # The rights statement is data, written in English like the origin. A
        # missing licence is a sentence of its own, not "not stated" put in the
        # slot: that word agrees with its noun, in gender, in Russian.
        if source.license:
            terms = _("Licence: {license}.").format(license=source.license)
        else:
            terms = _("Licence not stated.")
        out.line(wrap(f"{terms} {source.rights or ''}".rstrip(), width))


def _summary(story: Story, language: Language) -> str:
    """The summary in *language*, or the English one (said so) where there is none."""
    try:
        return story.summary_in(language)
    except LookupError:
        return _("(in English)") + f" {story.summary}"


def _show_parallel(out: Output, story: Story, language: Language) -> None:
    """The original and a translation, segment by segment, side by side or stacked."""
    from .parallel import MAX_WIDTH, print_parallel

    width = min(terminal_size((88, 24)).columns, MAX_WIDTH)
    translation = story.translation(language)
    segments = len(translation.segments)
    about = (
        f"{story.id}: "
        + _("{original} original, {translation} translation").format(
            original=language_name(story.language), translation=language_name(language)
        )
        + comma()
        + ngettext("{count} segment", "{count} segments", segments).format(count=number(segments))
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
    story = corpus.story(args.id)
    language = None if args.in_language is None else corpus.language(args.in_language)
    if getattr(args, "parallel", False):
        return _parallel(corpus, story, language, args, out, err)
    if args.json:
        from .._export.records import as_dict

        print_json(out, as_dict(story))
    else:
        if language is not None:
            story.text_in(language)  # a LookupError here names what there is
        _show(out, story, language, heading=language or reading_language(corpus, args))
    return EXIT_OK


def _parallel(
    corpus: Corpus,
    story: Story,
    language: Language | None,
    args: argparse.Namespace,
    out: Output,
    err: Output,
) -> int:
    """`show --parallel`: the original beside the translation into *language* (or English)."""
    language = language or story.language
    if language.id == story.language.id:
        if args.in_language is not None:
            return fail(
                err,
                _(
                    "--parallel pairs the original with a translation, and {language} "
                    "is the original of {story}; name another language with --in"
                ).format(language=language_name(language), story=quoted(story.id)),
            )
        others = [t.language for t in story.translations]
        language = next(
            (lang for lang in others if lang.id == "en"), others[0] if others else language
        )
    if language.id == story.language.id:
        return fail(
            err,
            _("story {story} has no translation to show beside it").format(story=quoted(story.id)),
        )
    story.translation(language)  # a LookupError here names what there is
    if args.json:
        from .._export.records import segment_rows

        rows = [r for r in segment_rows([story]) if r["language"] == language.id]
        print_json(out, rows)
    else:
        _show_parallel(out, story, language)
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
    names = reading_language(corpus, args)
    return _vocabulary(
        corpus.companies(),
        corpus,
        args,
        out,
        (_("ID"), _("NAME"), _("STORIES"), _("COUNTRY"), _("INDUSTRY")),
        lambda c: (
            c.id,
            c.name_in(names) if names else c.name,
            number(len(corpus.stories(company=c))),
            c.country,
            c.industry,
        ),
    )


def cmd_principles(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    if args.json:
        return _vocabulary(corpus.principles(), corpus, args, out, (), lambda p: ())
    from .output import one_line, wrap

    width = terminal_width(sys.stdout)
    language = reading_language(corpus, args)
    for index, principle in enumerate(corpus.principles()):
        stories = len(corpus.stories(principle=principle))
        main = language.id if language else "en"
        name = principle.name_in(language) if language else principle.name
        others = " · ".join(other for tag, other in principle.names if tag != main)
        try:
            definition = principle.definition_in(language) if language else principle.definition
        except LookupError:
            definition = principle.definition
        if index:
            out.line()
        out.line(
            out.bold(one_line(name)),
            f" ({one_line(principle.id)})"
            + comma()
            + ngettext("{count} story", "{count} stories", stories).format(count=number(stories)),
        )
        out.line(out.dim(one_line(others)))
        out.line(wrap(definition, width, indent="  "))
    return EXIT_OK


def cmd_languages(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    told = {lang.id: len(corpus.stories(language=lang)) for lang in corpus.languages()}
    status = _vocabulary(
        corpus.languages(),
        corpus,
        args,
        out,
        (_("ID"), _("NAME"), _("NATIVE"), _("DIRECTION"), _("STORIES")),
        lambda lang: (
            lang.id,
            language_name(lang),
            lang.native_name,
            lang.direction,
            number(told[lang.id]),
        ),
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
            name = language_name(language)
            out.line()
            out.line(
                wrap(
                    _(
                        "STORIES counts the stories told in each language. "
                        "No story is told in {language}, but"
                    ).format(language=name)
                    + " "
                    + ngettext(
                        "{count} story is translated into it: add --in {tag} to list, "
                        "show or random to read it in {language}.",
                        "{count} stories are translated into it: add --in {tag} to list, "
                        "show or random to read them in {language}.",
                        translated,
                    ).format(count=number(translated), tag=language.id, language=name),
                    width,
                )
            )
