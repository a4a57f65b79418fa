"""MkDocs hooks: pages generated at build time from the package itself, and the
site-wide treatment of three languages and two writing directions.

- ``cli.md``: the reference of every command, from ``clientocracy``'s own parser;
- ``stories.md``, ``stories/ru.md``, ``stories/fa.md``: every story, one page per
  language, and a page per principle and per company in each language;
- ``changelog.md``: ``CHANGELOG.md`` from the repository root;
- every page: right-to-left runs isolated from left-to-right text and the
  reverse (site_bidi), and `>>>` examples whose copy button copies only code;
- the search index: Russian and Persian words are indexed and found.

Generating pages from the code means the site cannot drift from it.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path
from typing import Any

import site_cli
import site_links
import site_stories
from site_bidi import isolate

ROOT = Path(__file__).resolve().parents[2]


def _parser() -> argparse.ArgumentParser:
    """The `clientocracy` command's argument parser: the one place that imports it."""
    from clientocracy._cli import i18n
    from clientocracy._cli.parser import build_parser

    # The reference is in English, whatever the locale of whoever builds it.
    i18n.use("en")
    return build_parser()


def _stories() -> Any:
    import clientocracy

    return clientocracy.stories()


# Source path of each generated or stories page -> the language it is written in.
_PAGE_LANGUAGES: dict[str, str] = {}
# The anchors of the API reference's entries, and the page's URL.
_API_IDS: set[str] = set()
_API_PAGE = "api.md"


def on_config(config: Any) -> Any:
    # The search plugin only takes the languages that lunr-languages ships,
    # and Persian is not one of them: the theme's search worker loads
    # lunr.fa.min.js from docs/overrides like the others.
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and "fa" not in search.config.lang:
        search.config.lang.append("fa")
    # The version, in the header of every page.
    from clientocracy import __version__

    config.site_name = f"{config.site_name} {__version__}"
    return config


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    _PAGE_LANGUAGES.clear()
    _PAGE_LANGUAGES[site_stories.stories_page("en")] = "en"
    for src, (language, markdown) in site_stories.pages(_stories()).items():
        files.append(File.generated(config, src, content=markdown))
        _PAGE_LANGUAGES[src] = language
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    name = page.file.src_uri
    if name == "cli.md":
        reference = site_cli.reference(_parser())
        return markdown.replace(
            "<!-- cli-reference -->",
            f'<div class="cli-reference" markdown="1">\n\n{reference}\n</div>\n',
        )
    if name == "stories.md":
        return markdown.replace("<!-- stories -->", site_stories.cards(_stories(), "en", name))
    if name == "changelog.md":
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        body = changelog.split("\n", 1)[1]  # the page has its own title
        return markdown.replace("<!-- changelog -->", body)
    return markdown


def on_page_content(html_: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri == _API_PAGE:
        _API_IDS.update(re.findall(r'id="(clientocracy\.[\w.]+)"', html_))
    language = _PAGE_LANGUAGES.get(page.file.src_uri, "en")
    return isolate(_copy_only_code(html_), "rtl" if language == "fa" else "ltr")


def on_post_page(output: str, page: Any, config: Any) -> str:
    # Every page's content is rendered by now, the API reference's too: the
    # names written in backticks can link to its entries.
    output = _link_names(output, page, config)
    # A page in Russian or Persian says so to the browser, screen readers and
    # the theme, which mirrors the whole layout for a right-to-left page.
    language = _PAGE_LANGUAGES.get(page.file.src_uri, "en")
    if language == "en":
        return output
    output = _localize_theme(output, language, config)
    direction = "rtl" if language == "fa" else "ltr"
    output = re.sub(
        r'<html lang="[^"]*"', f'<html lang="{language}" dir="{direction}"', output, count=1
    )
    return re.sub(r'<body dir="[^"]*"', f'<body dir="{direction}"', output, count=1)


def _link_names(output: str, page: Any, config: Any) -> str:
    from mkdocs.utils import get_relative_url

    if not _API_IDS:
        return output
    here = page.file.src_uri == _API_PAGE
    api_url = get_relative_url("api/", page.url) if not here else ""

    def href(anchor: str) -> str:
        return f"{api_url}#{anchor}"

    start = output.find('<article class="md-content__inner')
    end = output.rfind("</article>") if start >= 0 else -1
    if start < 0 or end < 0:
        return output
    return output[:start] + site_links.link(output[start:end], _API_IDS, href) + output[end:]


# The theme's own words that a page shows (its "t" keys): the table of
# contents' title, the search box and its messages, the footer's links.
_THEME_TEXT = ("toc", "top", "footer.next", "footer.previous", "action.skip")
_THEME_ATTRIBUTES = ("search.placeholder", "search", "search.reset", "search.share", "header")


def _theme_words(config: Any, language: str) -> Any:
    """The theme's translation function for *language* (its partials/languages/*.html)."""
    env = config.theme.get_env()
    return env.get_template(f"partials/languages/{language}.html").module.t


def _localize_theme(output: str, language: str, config: Any) -> str:
    """The theme's words on a Russian or Persian page, in that language.

    The theme has one language for the whole site; its own translations are
    used for the pages of the others, so that a Persian page's table of
    contents, search box and footer read in Persian.
    """
    english, local = _theme_words(config, "en"), _theme_words(config, language)
    for key in _THEME_TEXT:
        output = re.sub(
            rf">(\s*){re.escape(str(english(key)))}(\s*)<",
            lambda m, key=key: f">{m.group(1)}{html.escape(str(local(key)))}{m.group(2)}<",
            output,
        )
    for key in _THEME_TEXT + _THEME_ATTRIBUTES:
        for attribute in ("placeholder", "aria-label", "title"):
            output = output.replace(
                f'{attribute}="{english(key)}"', f'{attribute}="{html.escape(local(key))}"'
            )

    def translate(match: re.Match[str]) -> str:
        settings = json.loads(match.group(2))
        for key in settings.get("translations", {}):
            settings["translations"][key] = str(local(key))
        return match.group(1) + json.dumps(settings, ensure_ascii=False) + match.group(3)

    return re.sub(
        r'(<script id="__config" type="application/json">)(.*?)(</script>)',
        translate,
        output,
        count=1,
        flags=re.S,
    )


# A highlighted Python console block, as pymdownx.highlight writes it.
_CONSOLE = re.compile(r'<div class="language-pycon highlight">(.*?)</div>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def _copy_only_code(content: str) -> str:
    """Python console examples whose copy button copies the code without prompts or output.

    The theme copies an ancestor's `data-copy` attribute instead of the
    block's text when it has one.
    """

    def mark(match: re.Match[str]) -> str:
        shown = html.unescape(_TAGS.sub("", match.group(1)))
        code = [
            line[4:]
            for line in shown.splitlines()
            if line.startswith((">>> ", "... ")) or line in (">>>", "...")
        ]
        copied = html.escape("\n".join(code), quote=True)
        return f'<div class="language-pycon highlight" data-copy="{copied}">{match.group(1)}</div>'

    return _CONSOLE.sub(mark, content)
