"""MkDocs hooks: pages generated at build time from the package itself.

- ``cli.md``: the help of every command, from ``clientocracy``'s own parser;
- ``stories.md``: one card per story of the bundled dataset;
- ``changelog.md``: ``CHANGELOG.md`` from the repository root.

Generating them from the code means the site cannot drift from it.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    name = page.file.src_uri
    if name == "cli.md":
        return markdown.replace("<!-- cli-reference -->", cli_reference())
    if name == "stories.md":
        return markdown.replace("<!-- stories -->", story_cards())
    if name == "changelog.md":
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        body = changelog.split("\n", 1)[1]  # the page has its own title
        return markdown.replace("<!-- changelog -->", body)
    return markdown


def cli_reference() -> str:
    import argparse

    from clientocracy._cli import i18n
    from clientocracy._cli.parser import build_parser

    # argparse wraps help to the terminal's width; the page needs a fixed one.
    os.environ["COLUMNS"] = "88"
    # The reference is in English, whatever the locale of whoever builds it.
    i18n.use("en")
    parser = build_parser()
    sections = ["## clientocracy", "", "```text", parser.format_help().rstrip(), "```", ""]
    commands = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    for name, sub in commands.choices.items():
        sections += [
            f"## clientocracy {name}",
            "",
            "```text",
            sub.format_help().rstrip(),
            "```",
            "",
        ]
    return "\n".join(sections)


def story_cards() -> str:
    import clientocracy

    cards = []
    for story in clientocracy.stories():
        lang = story.language
        principles = ", ".join(html.escape(p.name) for p in story.principles)
        # A Markdown heading, so that the page's table of contents lists every
        # story and its id is the story's own: /stories/#zappos-ten-hour-call.
        cards.append(
            f'<article class="story" markdown="block">\n\n'
            f"## {_markdown_text(story.title_en)} {{ #{story.id} }}\n\n"
            f'<p class="original-title" lang="{lang.id}" dir="{lang.direction}">'
            f"{html.escape(story.title)}</p>\n"
            f'<dl class="facts">'
            f"<dt>Company</dt><dd>{html.escape(story.company.name)}</dd>"
            f"<dt>Told in</dt><dd>{html.escape(lang.name)} ({lang.id})</dd>"
            f"<dt>Principles</dt><dd>{principles}</dd>"
            f"<dt>Id</dt><dd><code>{html.escape(story.id)}</code></dd></dl>\n"
            f"{_readings(story)}\n"
            f"\n</article>"
        )
    return "\n\n".join(cards) + "\n"


def _paragraphs(text: str) -> str:
    return "".join(
        f"<p>{html.escape(paragraph.strip())}</p>"
        for paragraph in text.split("\n")
        if paragraph.strip()
    )


def _readings(story: Any) -> str:
    """The story in each of its languages, and side by side with each translation.

    Every view is in the page, so that it reads without JavaScript (one view
    after another); stories.js turns the views into tabs.
    """
    original = story.language
    tabs: list[tuple[str, str, str]] = []  # (view, label, panel)
    for language in story.languages:
        is_original = language.id == original.id
        label = language.native_name + (" · original" if is_original else "")
        attrs = f'lang="{language.id}" dir="{language.direction}"'
        kind = "passage" if is_original else "passage translation"
        panel = (
            f'<div class="reading" {attrs}>'
            f'<p class="reading-title">{html.escape(story.title_in(language))}</p>'
            f'<p class="summary">{html.escape(story.summary_in(language))}</p>'
            f'<blockquote class="{kind}" {attrs}>{_paragraphs(story.text_in(language))}'
            f"</blockquote>"
        )
        if not is_original:
            translation = story.translation(language)
            panel += (
                f'<p class="provenance" lang="en" dir="ltr">Translated from {original.name}. '
                f"Translator: {html.escape(translation.translator)}. "
                f"{html.escape(translation.review or '')}</p>"
            )
        tabs.append((language.id, label, panel + "</div>"))
    for translation in story.translations:
        target = translation.language
        rows = "".join(
            f"<tr><td {_dir(original)}>{html.escape(segment.original)}</td>"
            f"<td {_dir(target)}>{html.escape(segment.text)}</td></tr>"
            for segment in translation.segments
        )
        tabs.append(
            (
                f"{original.id}-{target.id}",
                f"{original.native_name} ↔ {target.native_name}",
                f'<table class="parallel"><thead><tr><th {_dir(original)}>{original.name}</th>'
                f"<th {_dir(target)}>{target.name}</th></tr></thead><tbody>{rows}</tbody>"
                "</table>",
            )
        )
    buttons = "".join(
        f'<button type="button" role="tab" data-view="{view}">{html.escape(label)}</button>'
        for view, label, _ in tabs
    )
    panels = "".join(
        f'<section class="view" role="tabpanel" data-view="{view}" '
        f'aria-label="{html.escape(label)}">{panel}</section>'
        for view, label, panel in tabs
    )
    return (
        f'<div class="readings" data-story="{story.id}">'
        f'<div class="views" role="tablist" aria-label="Read in">{buttons}</div>'
        f"{panels}</div>"
    )


def _dir(language: Any) -> str:
    return f'lang="{language.id}" dir="{language.direction}"'


def _markdown_text(text: str) -> str:
    """*text* as literal Markdown inline text: escaped for HTML and for Markdown."""
    escaped = html.escape(text, quote=False)
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|" else c for c in escaped)
