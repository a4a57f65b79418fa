"""The documentation site: it builds strictly, and its generated pages are right.

The stories page is checked in a real browser (headless Chromium): it
renders, Persian passages are laid out right-to-left, and the console stays
clean. Without Chromium or the docs tools these tests are skipped, unless
``CLIENTOCRACY_REQUIRE_SITE`` is set (as CI sets it), when they fail.
"""

from __future__ import annotations

import contextlib
import functools
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

ROOT = Path(__file__).resolve().parents[1]
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
    reference = page(site, "cli")
    for command in _COMMANDS:
        assert f"usage: clientocracy {command}" in reference, command
    assert "--no-bundled" in reference


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
    passages = {
        tuple(sorted(re.findall(r'(lang|dir)="([^"]+)"', tag)))
        for tag in re.findall(r'<blockquote class="passage"[^>]*>', stories)
    }
    assert passages == {(("dir", "rtl"), ("lang", "fa")), (("dir", "ltr"), ("lang", "ru"))}


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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def opened(browser: Any, served: str, path: str) -> Iterator[Any]:
    """A page of the site at desktop size; it fails on console errors and outside requests."""
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
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
        page.close()
    assert problems == []


def test_the_stories_page_renders_in_chromium(browser: Any, served: str, tmp_path: Path) -> None:
    with opened(browser, served, "/stories/") as browser_page:
        cards = browser_page.locator("article.story")
        assert cards.count() == len(clientocracy.stories())
        persian = browser_page.locator('blockquote.passage:not(.translation)[lang="fa"]').first
        russian = browser_page.locator('blockquote.passage:not(.translation)[lang="ru"]').first
        direction = "element => getComputedStyle(element).direction"
        assert persian.evaluate(direction) == "rtl"
        assert russian.evaluate(direction) == "ltr"
        box = persian.bounding_box()
        assert box is not None
        assert box["height"] > 20
        assert persian.is_visible()
        # Right-to-left text is aligned to the right edge of its block.
        assert persian.evaluate("e => getComputedStyle(e).textAlign") in ("start", "right")
        browser_page.screenshot(path=str(tmp_path / "stories.png"), full_page=True)


def test_the_stories_page_has_a_table_of_contents_and_deep_links(browser: Any, served: str) -> None:
    stories = clientocracy.stories()
    with opened(browser, served, "/stories/") as browser_page:
        toc = browser_page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link")
        assert toc.count() == len(stories)
        assert toc.first.is_visible()
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
        assert tabs.all_inner_texts() == [
            "русский · original",
            "English",
            "فارسی",
            "русский ↔ English",
            "русский ↔ فارسی",
        ]
        # The original shows first, and nothing else.
        visible = readings.locator("[role=tabpanel]:visible")
        assert visible.count() == 1
        assert visible.locator("blockquote").inner_text().startswith(story.text[:20])
        # Persian: the translation, its title and summary, laid out right to left.
        tabs.nth(2).click()
        persian = readings.locator("[role=tabpanel]:visible .reading")
        assert persian.get_attribute("lang") == "fa"
        assert persian.evaluate(direction) == "rtl"
        assert persian.locator(".reading-title").inner_text() == story.title_in("fa")
        shown = persian.locator("blockquote").inner_text()
        assert shown.split()[:4] == story.text_in("fa").split()[:4]
        assert "Translated from Russian" in persian.locator(".provenance").inner_text()
        assert tabs.nth(2).get_attribute("aria-selected") == "true"
        # Side by side: one row a segment, each cell in its own direction.
        tabs.nth(4).click()
        rows = readings.locator("[role=tabpanel]:visible table.parallel tbody tr")
        segments = story.translation("fa").segments
        assert rows.count() == len(segments)
        first = rows.first.locator("td")
        assert first.nth(0).inner_text() == segments[0].original
        assert first.nth(1).inner_text() == segments[0].text
        assert first.nth(0).evaluate(direction) == "ltr"
        assert first.nth(1).evaluate(direction) == "rtl"
        browser_page.screenshot(path=str(tmp_path / "side-by-side.png"), full_page=False)
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
