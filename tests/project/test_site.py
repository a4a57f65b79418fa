"""The documentation site: it builds strictly, and its generated pages are right.

The stories page is checked in a real browser (headless Chromium): it
renders, Persian passages are laid out right-to-left, and the console stays
clean. Without Chromium or the docs tools these tests are skipped, unless
``CLIENTOCRACY_REQUIRE_SITE`` is set (as CI sets it), when they fail.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import inspect
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import clientocracy
from clientocracy._cli.app import _COMMANDS

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = bool(os.environ.get("CLIENTOCRACY_REQUIRE_SITE"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        import mkdocs  # noqa: F401
        import mkdocstrings  # noqa: F401
    except ImportError:
        unavailable("MkDocs and mkdocstrings are not installed (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out


def page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def test_every_page_is_built(site: Path) -> None:
    for name in (
        "querying",
        "search",
        "your-own-corpus",
        "stories",
        "cli",
        "api",
        "dataset-card",
        "performance",
        "changelog",
    ):
        assert (site / name / "index.html").is_file(), name
    assert "Getting started" in (site / "index.html").read_text(encoding="utf-8")


def test_the_cli_reference_comes_from_the_parser(site: Path) -> None:
    import argparse

    from clientocracy._cli.parser import build_parser

    reference = page(site, "cli")
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {*_COMMANDS, "help"}
    # A section per command, with its usage and every option it has.
    for name, sub in commands.choices.items():
        start = reference.index(f'id="command-{name}"')
        end = reference.find('id="command-', start + 1)
        section = reference[start : end if end > 0 else len(reference)]
        assert f"clientocracy {name} [global options]" in section, name
        for action in sub._actions:
            for option in action.option_strings:
                if option not in (
                    "-h",
                    "--help",
                    "--corpus",
                    "--no-bundled",
                    "--no-pager",
                    "--bidi",
                ):
                    assert f"<code>{option}" in section, (name, option)
    # The options every command takes are described once, not thirteen times.
    for option in ("--corpus PATH", "--no-bundled", "--no-pager", "--bidi"):
        assert reference.count(f"<td><code>{option}</code></td>") == 1, option
    # No raw --help dump.
    assert "show this help message and exit" not in reference


def test_the_api_reference_lists_every_public_name() -> None:
    # The page names each object, grouped by task: a new public name needs a place.
    listed = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [n for n in clientocracy.__all__ if f"::: clientocracy.{n}\n" not in listed]
    assert missing == []


def test_the_api_reference_documents_every_public_name(site: Path) -> None:
    reference = page(site, "api")
    for name in clientocracy.__all__:
        if not name.startswith("_"):
            assert f'id="clientocracy.{name}"' in reference, name


def test_the_changelog_page_is_the_changelog(site: Path) -> None:
    assert "Full-text search" in page(site, "changelog")


def test_the_stories_page_has_a_card_per_story(site: Path) -> None:
    stories = page(site, "stories")
    assert stories.count('<article class="story"') == len(clientocracy.stories())
    for story in clientocracy.stories():
        assert f'id="{story.id}"' in stories
    # Each original passage is marked with its language and direction.
    passages = {
        tuple(sorted(re.findall(r'(lang|dir)="([^"]+)"', tag)))
        for tag in re.findall(r'<div class="passage original"[^>]*>', stories)
    }
    assert passages == {(("dir", "rtl"), ("lang", "fa")), (("dir", "ltr"), ("lang", "ru"))}
    # The passage is text, not a quotation, and the summary is labelled.
    assert "<blockquote" not in stories
    assert stories.count('<p class="label">Summary</p>') == len(clientocracy.stories())


def test_every_principle_and_company_has_a_page_in_each_language(site: Path) -> None:
    stories = clientocracy.stories()
    for language in ("en", "ru", "fa"):
        base = "stories" if language == "en" else f"stories/{language}"
        for principle in clientocracy.principles():
            text = page(site, f"{base}/principles/{principle.id}")
            assert principle.definition_in(language) in text, (language, principle.id)
            for story in stories:
                listed = f"#{story.id}" in text
                assert listed == (principle in story.principles), (principle.id, story.id)
        for company in clientocracy.companies():
            text = page(site, f"{base}/companies/{company.id}")
            for story in stories:
                assert (f"#{story.id}" in text) == (story.company == company), story.id


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser(served: str) -> Iterator[Any]:
    """Headless Chromium, offline: a request that leaves the local site fails the test."""
    if CHROMIUM is None:
        unavailable("Chromium is not installed (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def opened(
    browser: Any, served: str, path: str, *, width: int = 1400, **options: Any
) -> Iterator[Any]:
    """A page of the site (desktop size unless *width*); it fails on console errors
    and outside requests."""
    problems: list[str] = []
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((served, "data:", "blob:"))
            else problems.append(f"outside request: {request.url}")
        ),
    )
    try:
        page.goto(f"{served}{path}", wait_until="networkidle")
        yield page
    finally:
        context.close()
    assert problems == []


def test_the_stories_page_renders_in_chromium(browser: Any, served: str, tmp_path: Path) -> None:
    with opened(browser, served, "/stories/") as browser_page:
        cards = browser_page.locator("article.story")
        assert cards.count() == len(clientocracy.stories())
        persian_story = browser_page.locator(".readings[data-story=nordstrom-lost-diamond-ring]")
        persian_story.locator("[role=tab][data-view=fa]").click()
        persian = persian_story.locator('div.passage.original[lang="fa"]')
        russian_story = browser_page.locator(".readings[data-story=zappos-ten-hour-call]")
        russian_story.locator("[role=tab][data-view=ru]").click()
        russian = russian_story.locator('div.passage.original[lang="ru"]')
        direction = "element => getComputedStyle(element).direction"
        assert persian.evaluate(direction) == "rtl"
        assert russian.evaluate(direction) == "ltr"
        box = persian.bounding_box()
        assert box is not None
        assert box["height"] > 20
        assert persian.is_visible()
        # Right-to-left text is aligned to the right edge of its block.
        assert persian.evaluate("e => getComputedStyle(e).textAlign") in ("start", "right")
        # One rule beside a Persian passage, on its reading side (the right).
        borders = persian.evaluate(
            "e => { const s = getComputedStyle(e);"
            " return [s.borderLeftWidth, s.borderRightWidth]; }"
        )
        assert borders[0] == "0px"
        assert borders[1] != "0px"
        browser_page.screenshot(path=str(tmp_path / "stories.png"), full_page=True)


def test_the_stories_page_has_a_table_of_contents_and_deep_links(browser: Any, served: str) -> None:
    stories = clientocracy.stories()
    with opened(browser, served, "/stories/") as browser_page:
        toc = browser_page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link")
        assert toc.count() == len(stories)
        assert toc.first.is_visible()
        # The English page shows the English title, and the original one apart.
        hrefs = [toc.nth(i).get_attribute("href") for i in range(toc.count())]
        assert hrefs == [f"#{story.id}" for story in stories]
        assert toc.first.inner_text().strip() == stories[0].title_en
        # Persian (and every) original title is upright: slanted Arabic script reads badly.
        for title in browser_page.locator("p.original-title").all():
            assert title.evaluate("e => getComputedStyle(e).fontStyle") == "normal"
    last = stories[-1]
    with opened(browser, served, f"/stories/#{last.id}") as browser_page:
        heading = browser_page.locator(f"h2[id='{last.id}']")
        assert heading.inner_text().strip().startswith(last.title_en)
        assert browser_page.evaluate("window.scrollY") > 0
        box = heading.bounding_box()
        assert box is not None
        assert 0 <= box["y"] < 900 / 2  # scrolled to the top of the window, below the header


def test_the_stories_page_switches_each_story_between_its_languages(
    browser: Any, served: str, tmp_path: Path
) -> None:
    story = clientocracy.story("jetblue-free-coffee-at-the-gate")
    direction = "element => getComputedStyle(element).direction"
    with opened(browser, served, f"/stories/#{story.id}") as browser_page:
        readings = browser_page.locator(f".readings[data-story='{story.id}']")
        tabs = readings.locator("[role=tab]")
        # The page's language first, then the original; labels in English.
        assert tabs.all_inner_texts() == [
            "English",
            "Russian · original",
            "Persian",
            "Russian ↔ English",
            "Russian ↔ Persian",
        ]
        # The English text shows first, and nothing else.
        visible = readings.locator("[role=tabpanel]:visible")
        assert visible.count() == 1
        assert visible.locator(".passage").inner_text().startswith(story.text_in("en")[:20])
        tabs.nth(1).click()
        assert visible.locator(".passage").inner_text().startswith(story.text[:20])
        # Persian: the translation and its title, laid out right to left.
        tabs.nth(2).click()
        persian = readings.locator("[role=tabpanel]:visible .reading")
        assert persian.get_attribute("lang") == "fa"
        assert persian.evaluate(direction) == "rtl"
        assert persian.locator(".reading-title").inner_text() == story.title_in("fa")
        shown = persian.locator(".passage").inner_text()
        assert shown.split()[:4] == story.text_in("fa").split()[:4]
        assert "Translated from Russian" in persian.locator(".provenance").inner_text()
        assert tabs.nth(2).get_attribute("aria-selected") == "true"
        # Side by side: one numbered row a segment, each cell in its own direction,
        # the original and its translation level with each other.
        tabs.nth(4).click()
        rows = readings.locator("[role=tabpanel]:visible table.parallel tbody tr")
        segments = story.translation("fa").segments
        assert rows.count() == len(segments)
        for index, segment in enumerate(segments):
            row = rows.nth(index)
            assert row.locator("th").inner_text() == str(index + 1)
            cells = row.locator("td")
            assert cells.nth(0).inner_text() == segment.original
            assert cells.nth(1).inner_text() == segment.text
            tops = [cells.nth(i).bounding_box()["y"] for i in (0, 1)]
            assert tops[0] == tops[1]
        first = rows.first.locator("td")
        assert first.nth(0).evaluate(direction) == "ltr"
        assert first.nth(1).evaluate(direction) == "rtl"
        browser_page.screenshot(path=str(tmp_path / "side-by-side.png"), full_page=False)
    # On a phone the two texts of a segment stack, the original above.
    with opened(browser, served, f"/stories/#{story.id}", width=390) as browser_page:
        readings = browser_page.locator(f".readings[data-story='{story.id}']")
        readings.locator("[role=tab][data-view=ru-fa]").click()
        cells = readings.locator("[role=tabpanel]:visible table.parallel tbody tr").first
        original, translation = (cells.locator("td").nth(i).bounding_box() for i in (0, 1))
        assert original is not None
        assert translation is not None
        assert translation["y"] >= original["y"] + original["height"] - 1
        assert translation["width"] > 300
    # A Persian story reads in Russian too.
    nordstrom = clientocracy.story("nordstrom-lost-diamond-ring")
    with opened(browser, served, f"/stories/#{nordstrom.id}") as browser_page:
        readings = browser_page.locator(f".readings[data-story='{nordstrom.id}']")
        readings.locator("[role=tab][data-view=ru]").click()
        russian = readings.locator("[role=tabpanel]:visible .reading")
        assert russian.evaluate(direction) == "ltr"
        assert russian.locator(".reading-title").inner_text() == nordstrom.title_in("ru")


def _documented_with_examples() -> list[str]:
    """The public names whose own docstring has a `>>>` example."""
    names = []
    for name in clientocracy.__all__:
        value = getattr(clientocracy, name)
        # A constant has no docstring of its own at run time: getdoc would
        # return its type's (int's has examples).
        if not (inspect.isroutine(value) or inspect.isclass(value)):
            continue
        doc = inspect.getdoc(value) or ""
        if ">>>" in doc and not name.startswith("_"):
            names.append(name)
    return names


def test_the_api_page_reads_like_a_reference_in_chromium(
    browser: Any, served: str, tmp_path: Path
) -> None:
    with opened(browser, served, "/api/") as browser_page:
        text = browser_page.locator("article").inner_text()
        # Every example is a code block that keeps its prompts, with its
        # code highlighted and its output apart.
        for name in _documented_with_examples():
            heading = browser_page.locator(f"[id='clientocracy.{name}']")
            assert heading.count() == 1, name
            entry = heading.locator("xpath=ancestor::div[contains(@class, 'doc-object')][1]")
            blocks = entry.locator("div.language-pycon pre code")
            assert blocks.count() >= 1, name
            example = blocks.first
            assert example.is_visible(), name
            assert example.inner_text().startswith(">>> "), name
            assert example.locator("span.gp").first.inner_text().strip() == ">>>", name
            assert example.locator("span.go").count() >= 1, name
            assert example.evaluate("e => getComputedStyle(e).fontFamily").lower().find("mono") >= 0
        # No example is left to Markdown, which would nest it in block quotes.
        assert browser_page.locator("article blockquote").count() == 0
        assert ">>>" not in "".join(browser_page.locator("article p, article li").all_inner_texts())
        # Cross-references are links to the entries they name.
        links = browser_page.locator("div.doc-contents a[href^='#clientocracy.']")
        assert links.count() > 30
        targets = {link.get_attribute("href") for link in links.all()}
        assert {"#clientocracy.Story", "#clientocracy.UnknownValueError"} <= targets
        for target in targets:
            assert browser_page.locator(f"[id='{target[1:]}']").count() == 1, target
        # Neither Sphinx roles nor unresolved Markdown references show as text.
        for leftover in (":func:", ":class:", ":meth:", ":data:", ":attr:", "``", "][clientocracy"):
            assert leftover not in text, leftover
        # No boxed "module-attribute" style labels; small symbol badges instead.
        assert "module-attribute" not in text
        assert "instance-attribute" not in text
        assert browser_page.locator(".doc-label").count() == 0
        assert browser_page.locator("h3 code.doc-symbol-class").count() >= 9
        browser_page.screenshot(path=str(tmp_path / "api.png"), full_page=False)


# -- three languages, two directions -----------------------------------------


def _search(browser_page: Any, query: str) -> list[str]:
    """The links of the site search's results for *query*, typed into the search box."""
    box = browser_page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    # The theme reads the query on keyup; fill() types no key.
    box.press("End")
    meta = browser_page.locator(".md-search-result__meta")
    browser_page.wait_for_function(
        "() => !/Type to start|Initializing/.test("
        "document.querySelector('.md-search-result__meta').textContent)"
    )
    assert "No matching" not in meta.inner_text(), query
    links = browser_page.locator(".md-search-result__item a")
    return [link.get_attribute("href") or "" for link in links.all()]


@pytest.mark.parametrize(
    ("query", "story_id", "why"),
    [
        ("будильник", "gaylord-opryland-alarm-clocks", "a Russian word"),
        ("будильниками", "gaylord-opryland-alarm-clocks", "a form not in the text"),
        ("жирафами", "sainsburys-giraffe-bread", "a form not in the text"),
        ("زرافه", "sainsburys-giraffe-bread", "a Persian word"),
        ("زنگ\u200cدار", "gaylord-opryland-alarm-clocks", "a ZWNJ-joined Persian word"),
        ("زنگدار", "gaylord-opryland-alarm-clocks", "the same, typed without the ZWNJ"),
        # Persian suffixes: the query in another form than the text's, both ways.
        ("زرافه‌ها", "sainsburys-giraffe-bread", "a Persian form not in the text"),
        ("زرافهها", "sainsburys-giraffe-bread", "a Persian form not in the text"),
        ("لکه‌اش", "sainsburys-giraffe-bread", "a Persian form not in the text"),
        ("سلاح‌هایم", "lego-letter-from-sensei-wu", "a Persian form not in the text"),
        ("سلاح", "lego-letter-from-sensei-wu", "a Persian stem of the text's forms"),
        ("جالب", "lego-letter-from-sensei-wu", "a Persian stem of the text's forms"),
        ("giraffe", "sainsburys-giraffe-bread", "an English word"),
    ],
)
def test_the_site_search_finds_words_of_every_language(
    browser: Any, served: str, query: str, story_id: str, why: str
) -> None:
    story = clientocracy.story(story_id)
    texts = " ".join(story.text_in(lang) for lang in ("en", "ru", "fa"))
    if why in ("a form not in the text", "a Persian form not in the text"):
        assert query not in texts  # only the stemmer can find it
    if why == "a Persian form not in the text":
        assert query.replace("\u200c", "") not in texts.replace("\u200c", "")
    if why == "a Persian stem of the text's forms":
        assert f" {query} " not in f" {texts} "  # the text has longer forms only
    with opened(browser, served, "/") as browser_page:
        hrefs = _search(browser_page, query)
    assert any(href.endswith(f"#{story_id}") for href in hrefs), (query, hrefs)
    # No other story's section is found.
    others = {s.id for s in clientocracy.stories()} - {story_id}
    assert not [h for h in hrefs if h.rsplit("#", 1)[-1] in others], (query, hrefs)


def _site_lunr(browser_page: Any, site: Path) -> None:
    """Load into *browser_page* the lunr of the site's search worker and its languages."""
    (worker,) = (site / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    scripts = [f"workers/{worker.name}"] + [
        f"lunr/min/lunr.{name}.min.js" for name in ("stemmer.support", "multi", "ru", "fa")
    ]
    for script in scripts:
        browser_page.add_script_tag(url=f"/assets/javascripts/{script}")


# Each word, and its stem by the rules in lunr.fa.min.js (those of the package's search).
_PERSIAN_STEMS = [
    ("کتاب‌ها", "کتاب"),  # the plural, after a ZWNJ
    ("کتاب‌های", "کتاب"),  # the plural with the ezafe
    ("بزرگ‌ترین‌ها", "بزرگ"),  # the superlative, then the plural
    ("کتابها", "کتاب"),  # the plural typed without a ZWNJ
    ("كتابها", "کتاب"),  # and with the Arabic kaf
    ("سلاح‌هایش", "سلاح"),  # the plural and a possessive
    ("خانه‌اش", "خانه"),  # a possessive, after a ZWNJ
    ("خانه‌ی", "خانه"),  # the ezafe, after a ZWNJ
    ("نامه‌ای", "نامه"),  # the indefinite, after a ZWNJ
    ("بزرگ‌ترین", "بزرگ"),  # the superlative, after a ZWNJ
    ("مشتریان", "مشتری"),  # the plural ان
    ("دانشجویان", "دانشجو"),  # the plural ان after a vowel
    ("مشکلات", "مشکل"),  # the Arabic plural
    # Words that only look inflected keep their ends, as do suffixes joined
    # without a ZWNJ but for the plurals.
    ("مشتری", "مشتری"),
    ("تنها", "تنها"),
    ("آنها", "آنها"),
    ("مهمان", "مهمان"),
    ("ایران", "ایران"),
    ("حیات", "حیات"),
    ("بزرگتر", "بزرگتر"),
    ("زنگ‌دار", "زنگدار"),
]

_PERSIAN_WORD = re.compile("[\u0621-\u064a\u064b-\u065f\u0670\u066e-\u06d3\u06d5\u200c]+")


def _persian_words() -> list[str]:
    """Every Persian word of the bundled stories, and a few words with every suffix."""
    texts = []
    for story in clientocracy.stories():
        texts += [story.text_in("fa"), story.title_in("fa") or ""]
    words = {w.strip("\u200c") for text in texts for w in _PERSIAN_WORD.findall(text)}
    for base in ("کتاب", "خانه", "مشتری", "تن", "دانشجو"):
        for suffix in ("ها", "های", "هایی", "هایشان", "ی", "ای", "اش", "تر", "ترین", "ان", "ات"):
            words |= {base + suffix, base + "\u200c" + suffix}
    return sorted(w for w in words if w)


def test_the_persian_search_strips_suffixes_conservatively(
    browser: Any, served: str, site: Path
) -> None:
    with opened(browser, served, "/") as browser_page:
        _site_lunr(browser_page, site)
        stems = browser_page.evaluate(
            "words => words.map(w => lunr.fa.strip(w))", [w for w, _ in _PERSIAN_STEMS]
        )
        # An index of the site's languages, searched for exact words (no
        # wildcard): a word in the text is found by another form of it, and
        # the other way round, since both the index and the query strip.
        found = browser_page.evaluate(
            """() => {
              const index = lunr(function () {
                this.use(lunr.multiLanguage("en", "ru", "fa"));
                this.ref("id");
                this.field("text");
                this.add({ id: "weapons", text: "سنسی وو سلاح‌هایش را نشان داد." });
                this.add({ id: "giraffe", text: "نانی با نقش زرافه پختند." });
                this.add({ id: "alone", text: "او تنها آمد." });
              });
              const ids = query => index.search(query).map(hit => hit.ref).sort();
              return {
                "سلاح": ids("سلاح"), "زرافه‌ها": ids("زرافه‌ها"), "تن": ids("تن"),
              };
            }"""
        )
    assert dict(zip([w for w, _ in _PERSIAN_STEMS], stems, strict=True)) == dict(_PERSIAN_STEMS)
    assert found == {"سلاح": ["weapons"], "زرافه‌ها": ["giraffe"], "تن": []}


def test_the_site_and_the_package_stem_persian_words_alike(
    browser: Any, served: str, site: Path
) -> None:
    from clientocracy._search.analysis import _PERSIAN_CLITICS, search_terms

    def inner_parts_stemmed(word: str) -> bool:
        # The package stems every part of a ZWNJ-joined word ("ای‌بی", eBay,
        # is «بی» to it); the site takes suffixes off the word's end only.
        parts = word.split("\u200c")
        while len(parts) > 1 and clientocracy.normalize(parts[-1]) in _PERSIAN_CLITICS:
            parts.pop()
        return any("".join(search_terms(p)) != clientocracy.normalize(p) for p in parts[:-1])

    words = [word for word in _persian_words() if not inner_parts_stemmed(word)]
    assert len(words) > 500
    with opened(browser, served, "/") as browser_page:
        _site_lunr(browser_page, site)
        stems = browser_page.evaluate("words => words.map(w => lunr.fa.strip(w))", words)
    # The package splits a word at its ZWNJ, the site keeps it one token: the
    # stems agree once joined, and spelled the package's way (آ as ا, say).
    differ = {
        word: (stem, "".join(search_terms(word)))
        for word, stem in zip(words, stems, strict=True)
        if clientocracy.normalize(stem).replace(" ", "") != "".join(search_terms(word))
    }
    assert differ == {}


# Every run of Arabic-script text in the page's article whose nearest isolating
# ancestor is not right-to-left (or a <bdi>, or dir="auto").
_UNISOLATED_ARABIC = """() => {
  const arabic = /[\\u0600-\\u06FF\\u0750-\\u077F\\uFB50-\\uFDFF\\uFE70-\\uFEFF]/;
  const article = document.querySelector("article.md-content__inner");
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const bad = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!arabic.test(node.data)) continue;
    let element = node.parentElement;
    let isolated = false;
    while (element && element !== article.parentElement) {
      if (element.tagName === "BDI" || element.getAttribute("dir") === "auto"
          || element.getAttribute("dir") === "rtl") { isolated = true; break; }
      if (element.getAttribute("dir") === "ltr") break;
      element = element.parentElement;
    }
    if (!isolated) bad.push(node.data.trim().slice(0, 60));
  }
  return bad;
}"""


def _english_pages() -> list[str]:
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages: list[str] = []

    def walk(entries: list[Any]) -> None:
        for entry in entries:
            target = next(iter(entry.values())) if isinstance(entry, dict) else entry
            if isinstance(target, list):
                walk(target)
            elif not target.startswith("stories/"):
                pages.append("/" if target == "index.md" else "/" + target[:-3] + "/")

    walk(config["nav"])
    return [*pages, "/stories/principles/clientocracy/", "/stories/companies/zappos/"]


def test_right_to_left_runs_are_isolated_in_english_pages(browser: Any, served: str) -> None:
    pages = _english_pages()
    assert "/api/" in pages
    assert "/dataset-card/" in pages
    for path in pages:
        with opened(browser, served, path) as browser_page:
            assert browser_page.evaluate(_UNISOLATED_ARABIC) == [], path


def test_the_letter_mapping_reads_from_arabic_to_persian(
    browser: Any, served: str, tmp_path: Path
) -> None:
    # "`ي`→`ی`": the Arabic letter on the left, the arrow, then the Persian one.
    with opened(browser, served, "/search/") as browser_page:
        mapping = browser_page.locator("article li", has_text="→").filter(has_text="ي").first
        codes = mapping.locator("code")
        texts = codes.all_inner_texts()
        first = texts.index("ي")
        assert texts[first + 1] == "ی"
        left = codes.nth(first).bounding_box()
        right = codes.nth(first + 1).bounding_box()
        assert left is not None
        assert right is not None
        assert left["x"] + left["width"] <= right["x"]
        mapping.screenshot(path=str(tmp_path / "mapping.png"))


@pytest.mark.parametrize(
    ("path", "language", "direction", "title", "summary"),
    [
        ("/stories/", "en", "ltr", "The stories", "Summary"),
        ("/stories/ru/", "ru", "ltr", "Истории", "Краткое содержание"),
        ("/stories/fa/", "fa", "rtl", "داستان‌ها", "خلاصه"),
    ],
)
def test_a_stories_page_per_language(
    browser: Any, served: str, path: str, language: str, direction: str, title: str, summary: str
) -> None:
    stories = clientocracy.stories()
    with opened(browser, served, path) as browser_page:
        root = browser_page.locator("html")
        assert root.get_attribute("lang") == language
        article = browser_page.locator("article.md-content__inner")
        assert article.evaluate("e => getComputedStyle(e).direction") == direction
        assert browser_page.locator("article h1").inner_text().strip(" ¶") == title
        # Every story, titled in the page's language, its summary labelled and
        # its passage in the page's language showing first.
        headings = browser_page.locator("article.story h2")
        assert [h.strip(" ¶") for h in headings.all_inner_texts()] == [
            s.title_in(language) for s in stories
        ]
        labels = browser_page.locator("article.story .summary p.label").all_inner_texts()
        assert {label.strip().lower() for label in labels} == {summary.lower()}
        first = browser_page.locator("article.story").first
        shown = first.locator("[role=tabpanel]:visible .passage")
        assert shown.get_attribute("lang") == language
        assert shown.inner_text().split()[:3] == stories[0].text_in(language).split()[:3]
        # The switcher links the three pages; this one is marked current.
        switcher = browser_page.locator("nav.language-switcher a")
        assert switcher.count() == 3
        current = browser_page.locator("nav.language-switcher a[aria-current=page]")
        assert current.get_attribute("hreflang") == language
        # Principles and companies are links to their pages in the same language.
        principle = first.locator("dl.facts a[href*='principles/']").first
        principle.click()
        browser_page.wait_for_load_state("networkidle")
        assert browser_page.locator("html").get_attribute("lang") == language
        heading = browser_page.locator("article h1").inner_text()
        assert stories[0].principles[0].name_in(language) in heading


def test_the_persian_stories_page_is_right_to_left_in_persian(
    browser: Any, served: str, tmp_path: Path
) -> None:
    with opened(browser, served, "/stories/fa/") as browser_page:
        assert browser_page.locator("html").get_attribute("dir") == "rtl"
        assert browser_page.locator("body").evaluate("e => getComputedStyle(e).direction") == "rtl"
        # The main column is right of the table of contents: the layout is mirrored.
        content = browser_page.locator("article.md-content__inner").bounding_box()
        toc = browser_page.locator(".md-sidebar--secondary").bounding_box()
        assert content is not None
        assert toc is not None
        assert toc["x"] < content["x"]
        # Labels are Persian, numbers in Persian digits.
        facts = browser_page.locator("article.story").first.locator("dl.facts dt")
        assert facts.all_inner_texts() == ["شرکت", "زبان اصلی", "اصول", "شناسه"]
        status = browser_page.locator(".story-filters-status").inner_text()
        assert "۱۰" in status
        assert not re.search("[0-9]", status)
        # Persian is drawn with the shipped web font, not the system's.
        browser_page.evaluate("document.fonts.ready")
        assert browser_page.evaluate("document.fonts.check('16px Vazirmatn', 'ٱ')")
        loaded = browser_page.evaluate(
            "[...document.fonts].filter(f => f.family.includes('Vazirmatn')).map(f => f.status)"
        )
        assert "loaded" in loaded
        browser_page.screenshot(path=str(tmp_path / "stories-fa.png"), full_page=False)


def test_the_stories_are_listed_by_facet_without_javascript(browser: Any, served: str) -> None:
    stories = clientocracy.stories()
    with opened(browser, served, "/stories/", java_script_enabled=False) as browser_page:
        facets = browser_page.locator("section.facets")
        assert facets.is_visible()
        principle_links = facets.locator("[data-facet=principle] li a")
        assert principle_links.count() == len(clientocracy.principles())
        company_links = facets.locator("[data-facet=company] li a")
        assert company_links.count() == len(clientocracy.companies())
        told = facets.locator("[data-facet=language] li")
        persian = told.filter(has=browser_page.locator("[data-value=fa]")).or_(
            facets.locator("[data-facet=language] li[data-value=fa]")
        )
        listed = persian.locator("a").all_inner_texts()
        assert listed == [s.title_en for s in stories if s.language.id == "fa"]
        # Every view of every story is on the page, one after another.
        assert browser_page.locator("article.story .passage").first.is_visible()
        assert browser_page.locator("table.parallel").first.is_visible()


def test_the_stories_page_filters_by_principle_company_and_language(
    browser: Any, served: str
) -> None:
    stories = clientocracy.stories()
    with opened(browser, served, "/stories/") as browser_page:
        filters = browser_page.locator("form.story-filters")
        cards = browser_page.locator("article.story:visible")
        status = browser_page.locator(".story-filters-status")
        assert cards.count() == len(stories)
        principle = clientocracy.principle("small-things-matter")
        filters.locator("select[name=principle]").select_option(principle.id)
        expected = [s.id for s in stories if principle in s.principles]
        assert 0 < len(expected) < len(stories)
        assert [c.get_attribute("data-story") for c in cards.locator(".readings").all()] == expected
        assert status.inner_text() == f"Showing {len(expected)} of {len(stories)} stories."
        filters.locator("select[name=language]").select_option("fa")
        expected = [s.id for s in stories if principle in s.principles and s.language.id == "fa"]
        assert [c.get_attribute("data-story") for c in cards.locator(".readings").all()] == expected
        filters.locator("button[type=reset]").click()
        filters.locator("select[name=company]").select_option("zappos")
        expected = [s.id for s in stories if s.company.id == "zappos"]
        assert [c.get_attribute("data-story") for c in cards.locator(".readings").all()] == expected
        # The table of contents follows.
        toc = browser_page.locator(".md-sidebar--secondary nav.md-nav--secondary a:visible")
        assert toc.count() == len(expected)


# Elements of the article wider than its column, or reaching past its edges,
# other than those inside a box that scrolls them (code blocks, wide tables).
_OVERFLOWING = """() => {
  const article = document.querySelector("article.md-content__inner");
  // The column: code blocks and tables may reach into the article's margins.
  const box = article.parentElement.getBoundingClientRect();
  const bad = [];
  for (const element of article.querySelectorAll("*")) {
    let scrolled = false;
    for (let up = element.parentElement; up && up !== article; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") {
        scrolled = true; break;
      }
    }
    if (scrolled) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (rect.left < box.left - 1 || rect.right > box.right + 1) {
      bad.push(element.tagName + "." + element.className + " " + Math.round(rect.width));
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push("page scrolls sideways");
  return bad.slice(0, 10);
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "home"),
        ("/stories/", "stories"),
        ("/stories/fa/", "stories-fa"),
        ("/cli/", "cli"),
        ("/api/", "api"),
        ("/search/", "search"),
    ],
)
def test_nothing_is_wider_than_its_column(
    browser: Any, served: str, tmp_path: Path, path: str, name: str, width: int
) -> None:
    with opened(browser, served, path, width=width) as browser_page:
        if name == "stories":
            browser_page.locator(".readings [data-view=ru-fa]").first.click()
        assert browser_page.evaluate(_OVERFLOWING) == []
        browser_page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=False)


def test_the_copy_button_of_an_example_copies_only_its_code(browser: Any, served: str) -> None:
    with opened(
        browser, served, "/", permissions=["clipboard-read", "clipboard-write"]
    ) as browser_page:
        block = browser_page.locator("div.language-pycon").first
        shown = block.locator("code").inner_text()
        assert shown.startswith(">>> import clientocracy")
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        copied = browser_page.evaluate("navigator.clipboard.readText()")
    assert copied.splitlines() == [
        line[4:] for line in shown.splitlines() if line.startswith((">>> ", "... "))
    ]
    assert copied.startswith("import clientocracy\nlen(clientocracy.stories())\n")


def _public_docstrings() -> Iterator[tuple[str, str]]:
    for name in clientocracy.__all__:
        value = getattr(clientocracy, name)
        if not (inspect.isroutine(value) or inspect.isclass(value)):
            continue
        yield name, inspect.getdoc(value) or ""
        if inspect.isclass(value):
            for member_name, member in vars(value).items():
                if not member_name.startswith("_") and getattr(member, "__doc__", None):
                    yield f"{name}.{member_name}", inspect.getdoc(member) or ""


def test_help_shows_no_cross_reference_syntax() -> None:
    # help() shows docstrings as written: names are plain `code`, which the
    # site turns into links (docs/hooks/site_links.py).
    docstrings = dict(_public_docstrings())
    assert len(docstrings) > 50
    leftovers = {
        name: found
        for name, doc in docstrings.items()
        if (found := re.findall(r"\]\[[\w.]*\]", doc))
    }
    assert leftovers == {}


def test_the_api_reference_links_names_written_as_code(site: Path) -> None:
    reference = page(site, "api")
    # `Corpus.stories()` in a docstring is a link to that entry.
    assert '<a href="#clientocracy.Corpus.stories" class="autorefs"><code>' in reference
    # From another page, the link goes to the API reference.
    assert '<a href="../api/#clientocracy.StoryCollection" class="autorefs">' in page(
        site, "querying"
    )


def test_the_api_reference_shows_types_and_fields_as_such(site: Path) -> None:
    reference = page(site, "api")

    def entry(name: str) -> str:
        start = reference.index(f'id="clientocracy.{name}"')
        end = reference.find('<div class="doc doc-object', start)
        return re.sub(r"<[^>]+>", "", reference[start:end])

    # Type aliases are types, not quoted strings.
    for alias in ("CompanyLike", "PrincipleLike", "LanguageLike"):
        text = html.unescape(entry(alias))
        assert "Iterable[" in text, alias
        assert "'Company" not in text
        assert '"Company' not in text
        assert '"Principle' not in text
        assert '"Language' not in text
    # A constant's value several screens long is not shown.
    assert "title_en" not in entry("ARROW_COLUMNS")
    # The fields of a record are listed with their descriptions.
    provenance = entry("Provenance")
    for field in ("file", "format_version", "clientocracy_version", "built_at", "catalogs"):
        assert field in provenance, field
    assert "ISO 8601" in provenance
