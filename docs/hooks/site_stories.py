"""The stories pages: one per language, and a page per principle and per company.

Each stories page shows every story with its labelled summary and then its
passage in the page's language as the main text; the other languages and
the side-by-side readings (a row per segment) are further views, which
stories.js turns into tabs. The pages are linked by a language switcher,
and every principle and company links to a page of its stories in the same
language. Everything reads without JavaScript; with it, the page can be
filtered by principle, company and the language a story was told in.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from typing import Any

from site_strings import LANGUAGE_FROM, LANGUAGE_NAMES, LANGUAGES, SELF_NAMES, number, text

_ARABIC = re.compile(r"[\u0600-\u06FF]")


def stories_page(language: str) -> str:
    """The source path of the stories page in *language*."""
    return "stories.md" if language == "en" else f"stories/{language}.md"


def principle_page(language: str, principle_id: str) -> str:
    base = "stories" if language == "en" else f"stories/{language}"
    return f"{base}/principles/{principle_id}.md"


def company_page(language: str, company_id: str) -> str:
    base = "stories" if language == "en" else f"stories/{language}"
    return f"{base}/companies/{company_id}.md"


def pages(stories: Any) -> dict[str, tuple[str, str]]:
    """Every generated page: source path -> (language, Markdown)."""
    out: dict[str, tuple[str, str]] = {}
    principles = {p.id: p for s in stories for p in s.principles}
    companies = {s.company.id: s.company for s in stories}
    for language in LANGUAGES:
        if language != "en":  # the English page is docs/stories.md, with its own intro
            src = stories_page(language)
            out[src] = (language, stories_markdown(stories, language, src))
        for principle in principles.values():
            src = principle_page(language, principle.id)
            chosen = [s for s in stories if principle in s.principles]
            out[src] = (language, _principle_markdown(principle, chosen, language, src))
        for company in companies.values():
            src = company_page(language, company.id)
            chosen = [s for s in stories if s.company.id == company.id]
            out[src] = (language, _company_markdown(company, chosen, language, src))
    return out


def stories_markdown(stories: Any, language: str, src: str, *, intro: str | None = None) -> str:
    """The whole stories page in *language*; *intro* replaces the generated one."""
    return (
        "\n\n".join(
            [
                f"# {text('stories_title', language)}",
                _switcher(language, src, stories_page),
                intro if intro is not None else text("intro", language),
                _facets(stories, language, src),
                *(_card(story, language, src) for story in stories),
            ]
        )
        + "\n"
    )


def cards(stories: Any, language: str, src: str) -> str:
    """What replaces `<!-- stories -->` on the hand-written English page."""
    return (
        "\n\n".join(
            [
                _switcher(language, src, stories_page),
                _facets(stories, language, src),
                *(_card(story, language, src) for story in stories),
            ]
        )
        + "\n"
    )


def href(src: str, target: str, anchor: str = "") -> str:
    """The link from page *src* to page *target*, as the built site lays them out.

    Pages are folders (`use_directory_urls`): `stories/ru.md` is `stories/ru/`.
    """

    def folder(path: str) -> str:
        stem = path.removesuffix(".md")
        return "" if stem in ("index", "") else stem.removesuffix("/index")

    start, end = folder(src), folder(target)
    relative = posixpath.relpath(end or ".", start or ".")
    link = "" if relative == "." else relative + "/"
    return (link or "./") + (f"#{anchor}" if anchor else "")


def _md_link(src: str, target: str, anchor: str = "") -> str:
    """A Markdown link from page *src* to page *target*: MkDocs checks and rewrites it."""
    link = posixpath.relpath(target, posixpath.dirname(src) or ".")
    return link + (f"#{anchor}" if anchor else "")


def _switcher(language: str, src: str, page_of: Any) -> str:
    links = []
    for other in LANGUAGES:
        name = html.escape(SELF_NAMES[other])
        direction = "rtl" if other == "fa" else "ltr"
        attributes = f'lang="{other}" dir="{direction}" hreflang="{other}"'
        if other == language:
            links.append(f'<a {attributes} aria-current="page" href="./">{name}</a>')
        else:
            links.append(f'<a {attributes} href="{href(src, page_of(other))}">{name}</a>')
    label = html.escape(text("language", language))
    return (
        f'<nav class="language-switcher" data-search-exclude="" aria-label="{label}">'
        f'<span class="label">{label}:</span> {" ".join(links)}</nav>'
    )


def _facets(stories: Any, language: str, src: str) -> str:
    """Lists of the principles, companies and languages, with links; stories.js filters by them."""
    principles: dict[str, tuple[Any, int]] = {}
    companies: dict[str, tuple[Any, int]] = {}
    told: dict[str, list[Any]] = {}
    for story in stories:
        for p in story.principles:
            principles[p.id] = (p, principles.get(p.id, (p, 0))[1] + 1)
        companies[story.company.id] = (
            story.company,
            companies.get(story.company.id, (story.company, 0))[1] + 1,
        )
        told.setdefault(story.language.id, []).append(story)

    def item(facet_value: str, link: str, name: str, count: int) -> str:
        return (
            f'<li data-value="{facet_value}"><a href="{link}">{html.escape(name)}</a> '
            f'<span class="count">({number(count, language)})</span></li>'
        )

    principle_items = "".join(
        item(pid, href(src, principle_page(language, pid)), p.name_in(language), n)
        for pid, (p, n) in principles.items()
    )
    company_items = "".join(
        item(cid, href(src, company_page(language, cid)), company_name(c, language), n)
        for cid, (c, n) in companies.items()
    )
    language_items = "".join(
        f'<li data-value="{lid}">{html.escape(LANGUAGE_NAMES[language][lid])}: '
        + _comma(language).join(
            f'<a href="#{s.id}">{html.escape(s.title_in(language))}</a>' for s in chosen
        )
        + "</li>"
        for lid, chosen in told.items()
    )
    labels = " ".join(
        f'data-label-{key.replace("_", "-")}="{html.escape(text(key, language))}"'
        for key in ("all", "clear", "filter")
    )
    # "Showing {shown} of {total} stories.": stories.js fills in the numbers.
    shown = html.escape(text("shown", language))
    return (
        '<section class="facets" data-search-exclude="" '
        f'data-total="{len(stories)}" {labels} data-label-shown="{shown}">'
        f'<h2 class="facets-title">{html.escape(text("browse", language))}</h2>'
        f'<div class="facet" data-facet="principle" '
        f'data-label="{html.escape(text("principle", language))}">'
        f"<h3>{html.escape(text('principles', language))}</h3><ul>{principle_items}</ul></div>"
        f'<div class="facet" data-facet="company" '
        f'data-label="{html.escape(text("company", language))}">'
        f"<h3>{html.escape(text('companies', language))}</h3><ul>{company_items}</ul></div>"
        f'<div class="facet" data-facet="language" '
        f'data-label="{html.escape(text("told_in", language))}">'
        f"<h3>{html.escape(text('told_in', language))}</h3><ul>{language_items}</ul></div>"
        "</section>"
    )


def company_name(company: Any, language: str) -> str:
    """The company's name as a text in *language* writes it.

    Persian texts write every company in Persian letters; Russian ones keep
    Latin names as they are (the Russian source does) and write Cyrillic
    ones in Cyrillic.
    """
    if language == "fa":
        return next((n for n in company.names if _ARABIC.search(n)), company.name)
    return company.name


def _card(story: Any, language: str, src: str) -> str:
    principles = _comma(language).join(
        f'<a href="{href(src, principle_page(language, p.id))}">'
        f"{html.escape(p.name_in(language))}</a>"
        for p in story.principles
    )
    company = (
        f'<a href="{href(src, company_page(language, story.company.id))}">'
        f"{html.escape(company_name(story.company, language))}</a>"
    )
    facts = [
        (text("company", language), company),
        (text("told_in", language), html.escape(LANGUAGE_NAMES[language][story.language.id])),
        (text("principles", language), principles),
        (text("id", language), f'<code dir="ltr">{html.escape(story.id)}</code>'),
    ]
    original_title = ""
    if story.language.id != language:
        original = story.language
        original_title = (
            f'<p class="original-title"><span class="label">'
            f"{html.escape(text('original_title', language))}:</span> "
            f'<span lang="{original.id}" dir="{original.direction}">'
            f"{html.escape(story.title)}</span></p>\n"
        )
    data = (
        f'data-principle="{" ".join(p.id for p in story.principles)}" '
        f'data-company="{story.company.id}" data-language="{story.language.id}"'
    )
    return (
        f'<article class="story" {data} markdown="block">\n\n'
        f"## {_markdown_text(story.title_in(language))} {{ #{story.id} }}\n\n"
        f"{original_title}"
        f'<dl class="facts">'
        + "".join(f"<dt>{html.escape(k)}</dt><dd>{v}</dd>" for k, v in facts)
        + "</dl>\n"
        f'<div class="summary"><p class="label">{html.escape(text("summary", language))}</p>'
        f"<p>{html.escape(story.summary_in(language))}</p></div>\n"
        f"{_readings(story, language)}\n\n</article>"
    )


def _paragraphs(passage: str) -> str:
    return "".join(
        f"<p>{html.escape(paragraph.strip())}</p>"
        for paragraph in passage.split("\n")
        if paragraph.strip()
    )


def _ordered(story: Any, language: str) -> list[Any]:
    """The story's languages: the page's first, then the original, then the rest."""
    return sorted(
        story.languages,
        key=lambda lang: (lang.id != language, lang.id != story.language.id),
    )


def _readings(story: Any, language: str) -> str:
    """The story in each of its languages, and side by side with each translation.

    Every view is in the page, so that it reads without JavaScript (one view
    after another); stories.js turns the views into tabs.
    """
    original = story.language
    views: list[tuple[str, str, str]] = []  # (view, label, panel)
    for reading in _ordered(story, language):
        is_original = reading.id == original.id
        name = LANGUAGE_NAMES[language][reading.id]
        label = f"{name} · {text('original', language)}" if is_original else name
        panel = f'<div class="reading" {_dir(reading)}>'
        if reading.id != language:
            panel += f'<p class="reading-title">{html.escape(story.title_in(reading))}</p>'
        kind = "passage original" if is_original else "passage translation"
        panel += f'<div class="{kind}" {_dir(reading)}>{_paragraphs(story.text_in(reading))}</div>'
        if not is_original:
            translation = story.translation(reading)
            note = text(
                "translated_from",
                language,
                language=LANGUAGE_FROM[language][original.id],
                translator="{translator}",
            ).replace(
                "{translator}",
                f'<span lang="en" dir="ltr">{html.escape(translation.translator)}</span>',
            )
            page_dir = "rtl" if language == "fa" else "ltr"
            panel += f'<p class="provenance" lang="{language}" dir="{page_dir}">{note}</p>'
        views.append((reading.id, label, panel + "</div>"))
    translations = sorted(story.translations, key=lambda t: t.language.id != language)
    for translation in translations:
        views.append(_side_by_side(story, translation, language))
    buttons = "".join(
        f'<button type="button" role="tab" data-view="{view}">{html.escape(label)}</button>'
        for view, label, _ in views
    )
    panels = "".join(
        f'<section class="view" role="tabpanel" data-view="{view}" '
        f'aria-label="{html.escape(label)}">{panel}</section>'
        for view, label, panel in views
    )
    return (
        f'<div class="readings" data-story="{story.id}">'
        '<div class="views" role="tablist" data-search-exclude="" '
        f'aria-label="{html.escape(text("read_in", language))}">'
        f"{buttons}</div>{panels}</div>"
    )


def _side_by_side(story: Any, translation: Any, language: str) -> tuple[str, str, str]:
    """A table with a numbered row per segment: the original and its translation."""
    original, target = story.language, translation.language
    heads = (
        f"{LANGUAGE_NAMES[language][original.id]} ({text('original', language)})",
        f"{LANGUAGE_NAMES[language][target.id]} ({text('translation', language)})",
    )
    rows = "".join(
        f'<tr><th scope="row" class="segment">{number(index, language)}</th>'
        f'<td {_dir(original)} data-label="{html.escape(heads[0])}">'
        f"{html.escape(segment.original)}</td>"
        f'<td {_dir(target)} data-label="{html.escape(heads[1])}">'
        f"{html.escape(segment.text)}</td></tr>"
        for index, segment in enumerate(translation.segments, start=1)
    )
    table = (
        '<table class="parallel"><thead><tr>'
        f'<th scope="col" class="segment">{html.escape(text("segment", language))}</th>'
        f'<th scope="col">{html.escape(heads[0])}</th>'
        f'<th scope="col">{html.escape(heads[1])}</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    names = LANGUAGE_NAMES[language]
    label = f"{names[original.id]} ↔ {names[target.id]}"
    return f"{original.id}-{target.id}", label, table


def _story_list(stories: Iterable[Any], language: str, src: str) -> str:
    return "\n".join(
        f"- [{_markdown_text(s.title_in(language))}]"
        f"({_md_link(src, stories_page(language), s.id)}) — "
        f"{_markdown_text(s.summary_in(language))}"
        for s in stories
    )


def _principle_markdown(principle: Any, stories: list[Any], language: str, src: str) -> str:
    name = principle.name_in(language)
    return (
        "\n\n".join(
            [
                f"# {_markdown_text(text('principle_title', language, name=name))}",
                _switcher(language, src, lambda other: principle_page(other, principle.id)),
                f'<p class="definition">{html.escape(principle.definition_in(language))}</p>',
                f"## {text('stories', language)}",
                _story_list(stories, language, src),
                f"[{text('all_stories', language)}]({_md_link(src, stories_page(language))})",
            ]
        )
        + "\n"
    )


def _company_markdown(company: Any, stories: list[Any], language: str, src: str) -> str:
    name = company_name(company, language)
    return (
        "\n\n".join(
            [
                f"# {_markdown_text(text('company_title', language, name=name))}",
                _switcher(language, src, lambda other: company_page(other, company.id)),
                # Every name the data knows, so that the site's search finds the
                # company however it is written.
                '<p class="names"><span class="label">'
                f"{html.escape(text('names', language))}:</span> "
                + _comma(language).join(
                    f"<bdi>{html.escape(n)}</bdi>" for n in company.names if n != company.id
                )
                + "</p>",
                f"## {text('stories', language)}",
                _story_list(stories, language, src),
                f"[{text('all_stories', language)}]({_md_link(src, stories_page(language))})",
            ]
        )
        + "\n"
    )


def _comma(language: str) -> str:
    return "، " if language == "fa" else ", "


def _dir(language: Any) -> str:
    return f'lang="{language.id}" dir="{language.direction}"'


def _markdown_text(value: str) -> str:
    """*value* as literal Markdown inline text: escaped for HTML and for Markdown."""
    escaped = html.escape(value, quote=False)
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|" else c for c in escaped)
