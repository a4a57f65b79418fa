"""Handouts: Markdown for slides and a standalone HTML page, checked as text and in Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import handout

REQUIRED = bool(os.environ.get("CLIENTOCRACY_REQUIRE_SITE"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCRIPT = shutil.which("clientocracy", path=str(Path(sys.executable).parent))
assert SCRIPT is not None
PERSIAN = "nordstrom-lost-diamond-ring"
RUSSIAN = "jetblue-free-coffee-at-the-gate"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text outside <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.text.append(data)


def parsed(page: str) -> Elements:
    elements = Elements()
    elements.feed(page)
    return elements


# -- Markdown -----------------------------------------------------------------------


def test_markdown_is_one_slide_a_story_in_the_language_asked() -> None:
    stories = clientocracy.stories(company="LEGO")
    document = handout(stories, "markdown", language="en")
    slides = document.split("\n---\n")
    assert len(slides) == len(stories)
    for slide, story in zip(slides, stories, strict=True):
        assert slide.strip().startswith(f"# {story.title_in('en')}")
        assert "**Summary.**" in slide
        assert story.summary_in("en") in slide


def test_persian_markdown_is_wrapped_right_to_left_with_persian_labels() -> None:
    document = handout(clientocracy.story(PERSIAN), "markdown")
    assert document.startswith('<div dir="rtl" lang="fa">\n\n# ')
    assert "**خلاصه.**" in document
    # Names follow the language, and a Persian list is joined with «،».
    story = clientocracy.story(PERSIAN)
    assert story.company.name_in(story.language) in document
    assert "، ".join(p.name_in("fa") for p in story.principles) in document


def test_parallel_markdown_is_a_table_of_segments() -> None:
    story = clientocracy.story(RUSSIAN)
    document = handout(story, "markdown", language="en", parallel=True)
    segments = story.translation("en").segments
    rows = [line for line in document.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + len(segments)  # a header and its rule
    with pytest.raises(ValueError, match="Russian is the original"):
        handout(story, "markdown", language="ru", parallel=True)


MARKUP = st.text(
    st.sampled_from(list("*_`#<>[]|\\-+1. abcабвپچ\n")), min_size=1, max_size=40
).filter(lambda text: text.strip() != "")


@settings(max_examples=60, deadline=None)
@given(title=MARKUP, summary=MARKUP)
def test_markdown_shows_data_as_written_never_as_markup(title: str, summary: str) -> None:
    markdown = pytest.importorskip("markdown")
    story = clientocracy.story("zappos-ten-hour-call")
    odd = attrs.evolve(
        story,
        titles=(("ru", story.title), ("en", title)),
        summaries=(("ru", story.summary_in("ru")), ("en", summary)),
    )
    rendered = markdown.markdown(handout(odd, "markdown", language="en"))
    text = html.unescape(re.sub("<[^>]+>", "", rendered))
    assert " ".join(title.split()) in " ".join(text.split())
    assert " ".join(summary.split()) in " ".join(text.split())
    assert "<script" not in rendered


# -- HTML ---------------------------------------------------------------------------


def test_the_html_page_stands_alone() -> None:
    page = handout(clientocracy.stories(), "html", language="ru")
    elements = parsed(page)
    assert page.startswith("<!DOCTYPE html>")
    for tag, attributes in elements.tags:
        assert not {"src", "href"} & set(attributes), (tag, attributes)
        assert tag not in ("script", "link", "img", "iframe"), tag
    assert "url(" not in page
    assert "@import" not in page
    assert "default-src 'none'" in page
    # One article a story, each in the language asked.
    articles = [a for t, a in elements.tags if t == "article"]
    assert len(articles) == len(clientocracy.stories())
    assert all(a["lang"] == "ru" and a["dir"] == "ltr" for a in articles)
    assert ("html", {"lang": "ru", "dir": "ltr"}) in elements.tags


def test_the_html_page_is_right_to_left_where_persian() -> None:
    page = handout(
        [clientocracy.story(PERSIAN), clientocracy.story(RUSSIAN)], "html", language="fa"
    )
    elements = parsed(page)
    assert ("html", {"lang": "fa", "dir": "rtl"}) in elements.tags
    articles = [a for t, a in elements.tags if t == "article"]
    assert [a["dir"] for a in articles] == ["rtl", "rtl"]
    # The Persian handout counts in Persian digits.
    start = clientocracy.story(RUSSIAN).span.start
    assert str(start).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page


def test_data_is_escaped_in_html() -> None:
    story = clientocracy.story(RUSSIAN)
    odd = attrs.evolve(story, titles=(("ru", "<script>alert(1)</script> & \u202e"), ("en", "x")))
    page = handout(odd, "html", language="ru")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \ufffd" in page


def test_the_handout_command_writes_a_file_by_its_name(tmp_path: Path) -> None:
    target = tmp_path / "ring.html"
    result = subprocess.run(
        [SCRIPT, "handout", PERSIAN, "--in", "en", "--parallel", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'class="parallel"' in page
    markdown = subprocess.run(
        [SCRIPT, "handout", RUSSIAN, "--in", "en"], capture_output=True, text=True, timeout=60
    )
    assert markdown.stdout.startswith("# " + clientocracy.story(RUSSIAN).title_in("en"))
    wrong = subprocess.run(
        [SCRIPT, "handout", RUSSIAN, "--in", "ru", "--parallel"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wrong.returncode == 2
    assert "Russian is the original" in wrong.stderr
    assert not list(tmp_path.glob("*.tmp"))


# -- in Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Any:
    if CHROMIUM is None:
        (pytest.fail if REQUIRED else pytest.skip)("Chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        (pytest.fail if REQUIRED else pytest.skip)("playwright is not installed")
    with sync_playwright() as playwright:
        # Playwright starts Chromium with a fresh, temporary profile.
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser: Any, path: Path, requests: list[str]) -> Any:
    page = browser.new_page()
    page.on(
        "request",
        lambda request: None if request.url.startswith("file:") else requests.append(request.url),
    )
    page.goto(path.as_uri(), wait_until="load")
    return page


def fonts_of(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium drew an element's text with, and how many glyphs each."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts: list[dict[str, Any]] = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})[
        "fonts"
    ]
    return fonts


def test_the_page_in_chromium_reads_right_to_left_with_real_glyphs(
    browser: Any, tmp_path: Path
) -> None:
    path = tmp_path / "handout.html"
    stories = [clientocracy.story(PERSIAN), clientocracy.story(RUSSIAN)]
    path.write_text(handout(stories, "html", language="fa", parallel=False), encoding="utf-8")
    requests: list[str] = []
    page = open_page(browser, path, requests)
    try:
        direction = "e => getComputedStyle(e).direction"
        align = "e => getComputedStyle(e).textAlign"
        paragraph = page.locator("article p:not(.about):not(.summary):not(.source)").first
        assert page.locator("article").first.evaluate(direction) == "rtl"
        assert paragraph.evaluate(align) in ("start", "right")
        # Flush right: the paragraph's first line ends at the right edge of its block.
        box = paragraph.bounding_box()
        article = page.locator("article").first.bounding_box()
        assert box is not None
        assert article is not None
        assert abs((box["x"] + box["width"]) - (article["x"] + article["width"])) < 2
        # Every Persian letter was drawn with a font that has it (no boxes).
        fonts = fonts_of(page, "article h1")
        assert fonts
        # One glyph a character, spaces and the ZWNJ included.
        assert sum(font["glyphCount"] for font in fonts) == len(
            page.locator("article h1").first.inner_text()
        )
        assert not any("resort" in font["familyName"].lower() for font in fonts)
    finally:
        page.close()
    assert requests == []


def test_a_parallel_page_keeps_each_text_in_its_direction(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "parallel.html"
    path.write_text(
        handout(clientocracy.story(RUSSIAN), "html", language="fa", parallel=True),
        encoding="utf-8",
    )
    requests: list[str] = []
    page = open_page(browser, path, requests)
    try:
        original = page.locator('td[lang="ru"]').first
        translation = page.locator('td[lang="fa"]').first
        assert original.evaluate("e => getComputedStyle(e).direction") == "ltr"
        assert translation.evaluate("e => getComputedStyle(e).direction") == "rtl"
        left, right = original.bounding_box(), translation.bounding_box()
        assert left is not None
        assert right is not None
        assert left["x"] < right["x"]  # the original on the left, as in the terminal
        assert abs(left["y"] - right["y"]) < 1  # each segment level with its translation
    finally:
        page.close()
    assert requests == []


def test_one_story_prints_to_a4_pages(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "one.html"
    story = clientocracy.story(RUSSIAN)
    path.write_text(handout(story, "html", language="ru"), encoding="utf-8")
    requests: list[str] = []
    page = open_page(browser, path, requests)
    try:
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        page.close()
    assert requests == []
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1
    # A4 is 210 x 297 mm: 595 x 842 points (Chromium rounds to whole CSS pixels).
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box is not None
    width, height = (float(value) for value in box.groups())
    assert abs(width - 595.3) < 1.5
    assert abs(height - 841.9) < 1.5
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        text = subprocess.run(
            [pdftotext, "-", "-"], input=pdf, capture_output=True, timeout=60, check=True
        ).stdout.decode("utf-8")
        assert story.title in " ".join(text.split())


def test_several_stories_print_one_a_page(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "three.html"
    stories = clientocracy.stories(company="LEGO")
    path.write_text(handout(stories, "html", language="en"), encoding="utf-8")
    requests: list[str] = []
    page = open_page(browser, path, requests)
    try:
        pdf = page.pdf(prefer_css_page_size=True)
        page.emulate_media(media="print")
        breaks = page.evaluate(
            "[...document.querySelectorAll('article')].map(a => getComputedStyle(a).breakAfter)"
        )
    finally:
        page.close()
    assert breaks == ["page"] * (len(stories) - 1) + ["auto"]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= len(stories)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        # Each story's title opens a page.
        (tmp_path / "three.pdf").write_bytes(pdf)
        firsts = []
        for number in range(1, pages + 1):
            text = subprocess.run(
                [pdftotext, "-f", str(number), "-l", str(number), str(tmp_path / "three.pdf"), "-"],
                capture_output=True,
                timeout=60,
                check=True,
            ).stdout.decode("utf-8")
            firsts.append(text.strip().splitlines()[0] if text.strip() else "")
        for story in stories:
            assert story.title_in("en") in firsts
