"""What the tests share: the command runners, corpora to load, and hostile data.

Test modules import from here and never from each other, so that a test file
can move, or be split, without breaking another.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import select
import shutil
import string
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

import clientocracy
from clientocracy import (
    Company,
    Corpus,
    Language,
    Principle,
    Quote,
    Segment,
    Source,
    Span,
    Story,
    Translation,
)

# -- running the command -----------------------------------------------------------

#: The installed console script, run as users run it.
SCRIPT = shutil.which("clientocracy", path=str(Path(sys.executable).parent)) or ""
if not SCRIPT:  # pragma: no cover - the test extra installs the package
    pytest.fail("the clientocracy console script is not installed beside this Python")

#: No command of the suite may take longer than this; a hang fails the test.
COMMAND_TIMEOUT = 120


def run(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    errors: str = "replace",
    timeout: float = COMMAND_TIMEOUT,
    **kwargs: Any,
) -> subprocess.CompletedProcess[str]:
    """Run the command with *args*, its output piped (not a terminal), 80 columns wide.

    `NO_COLOR` is taken out of the environment unless *env* sets it.
    """
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "80", **(env or {})}
    if "NO_COLOR" not in (env or {}):
        full_env.pop("NO_COLOR", None)
    return subprocess.run(
        [SCRIPT, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors=errors,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def shell(command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run *command* with sh, the console script as `$C`."""
    return subprocess.run(
        command,
        shell=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, "C": SCRIPT, "PYTHONIOENCODING": "utf-8"},
        cwd=cwd,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def run_on_terminal(
    *args: str,
    columns: int | None = None,
    env: dict[str, str] | None = None,
    timeout: float = COMMAND_TIMEOUT,
) -> tuple[int, str]:
    """Run the command on a pseudo-terminal; return its status and what it showed.

    Standard input, output and error are the terminal, *columns* wide if
    given. No pager runs (`PAGER` is empty) unless *env* asks for one, and
    the terminal is an `xterm` unless *env* says otherwise. The command is
    killed, and the test fails, if it has not finished within *timeout*
    seconds.
    """
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    if columns is not None:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    full_env = {**os.environ, "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "PAGER": ""}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "CLIENTOCRACY_PAGER", "LESS"):
        full_env.pop(name, None)
    full_env.update(env or {})
    process = subprocess.Popen(
        [SCRIPT, *args], stdin=follower, stdout=follower, stderr=follower, env=full_env
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                process.kill()
                pytest.fail(f"clientocracy {' '.join(args)} did not finish in {timeout} s")
            ready, _, _ = select.select([leader], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed: Linux reports EIO
                break
            if not chunk:
                break
            chunks.append(chunk)
        status = process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
            process.wait()
    return status, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def give_up_after(what: str, timeout: float = 60) -> Callable[[], None]:
    """A check to call on every turn of a wait loop: it fails the test after *timeout* s."""
    end = time.monotonic() + timeout

    def check() -> None:
        if time.monotonic() > end:
            pytest.fail(f"gave up after {timeout} s waiting until {what}")

    return check


# -- users' own corpora ---------------------------------------------------------------

TEXT = "Our shop. A customer left her umbrella; we drove it to her house. The end."


def sha(text: str) -> str:
    """The SHA-256 of *text* in UTF-8, as a catalog declares it (lone surrogates kept)."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def user_catalog(**story_changes: Any) -> dict[str, Any]:
    """A small valid catalog of version 1: one source (TEXT), one company, one story.

    The story refers to two bundled principles by id; *story_changes*
    replace fields of the story.
    """
    story = {
        "id": "acme-umbrella",
        "source": "acme-blog",
        "span": {"start": 10, "end": 65, "begins": "A customer", "ends": "her house."},
        "company": "acme",
        "principles": ["beyond-what-is-owed", "small-things-matter"],
        "title": "The umbrella",
        "title_en": "The umbrella",
        "summary": "A customer forgot her umbrella and the shop drove it to her.",
        "channel": "in-person",
    }
    story.update(story_changes)
    return {
        "format": "clientocracy-catalog",
        "version": 1,
        "languages": [],
        "companies": [
            {
                "id": "acme",
                "name": "Acme",
                "aliases": ["ACME Corp"],
                "industry": "retail",
                "country": "GB",
            }
        ],
        "principles": [],
        "sources": [
            {
                "id": "acme-blog",
                "file": "texts/acme.txt",
                "sha256": sha(TEXT),
                "language": "en",
                "title": "Acme blog",
                "title_en": "Acme blog",
                "origin": "Our own blog.",
            }
        ],
        "stories": [story],
    }


#: The story of user_catalog() translated into Russian, in two segments.
TRANSLATION = {
    "language": "ru",
    "translator": "Acme staff",
    "review": "Read against the original by a second person.",
    "segments": [
        {"start": 10, "end": 42, "text": "Покупательница забыла зонтик;"},
        {"start": 43, "end": 65, "text": "мы отвезли его к ней домой."},
    ],
}


def user_catalog_v2(**translation_changes: Any) -> dict[str, Any]:
    """The catalog of user_catalog() in version 2, with a Russian translation."""
    catalog = user_catalog()
    catalog["version"] = 2
    source = catalog["sources"][0]
    source["title"] = {"en": source.pop("title_en")}
    story = catalog["stories"][0]
    del story["title_en"]
    story["title"] = {"en": "The umbrella", "ru": "Зонтик"}
    story["summary"] = {
        "en": story["summary"],
        "ru": "Покупательница забыла зонтик, и магазин отвёз его ей.",
    }
    story["translations"] = [{**TRANSLATION, **translation_changes}]
    return catalog


def write_corpus(
    folder: Path,
    catalog: bytes | str | dict[str, Any] | None = None,
    texts: dict[str, bytes] | None = None,
) -> Path:
    """Write a corpus folder: *catalog* (default user_catalog()) and *texts*.

    *texts* maps file names to their bytes; by default the one text of
    user_catalog(), `texts/acme.txt`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = user_catalog() if catalog is None else catalog
    if isinstance(data, dict):
        data = json.dumps(data, ensure_ascii=False)
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    (folder / "catalog.json").write_bytes(data)
    for name, content in ({"texts/acme.txt": TEXT.encode()} if texts is None else texts).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder


def user_corpus(
    folder: Path, *, company_fields: dict[str, Any] | None = None, **story_changes: Any
) -> Path:
    """Write user_catalog(**story_changes) and its text to *folder*.

    *company_fields* replace fields of its one company (such as its name).
    """
    catalog = user_catalog(**story_changes)
    catalog["companies"][0].update(company_fields or {})
    return write_corpus(folder, catalog)


def problems_of(path: Path) -> tuple[str, ...]:
    """The problems `load` reports for *path*, which must fail to load."""
    with pytest.raises(clientocracy.CorpusError) as info:
        clientocracy.load(path)
    assert isinstance(info.value, ValueError)
    return info.value.problems


# -- hostile data ------------------------------------------------------------------------


def hostile_corpus(
    evil: str = "\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1", tail: str = ""
) -> Corpus:
    """A corpus with *evil* in every text field, and an id-safe form of it in every id."""
    ident = evil.replace(" ", "")
    lang, other = (
        Language(
            id=f"{letter}{ident}",
            name=f"Lang {letter} {evil}",
            native_name=f"Native {letter} {evil}",
            direction="rtl",
            aliases=(f"alias {letter} {evil}",),
        )
        for letter in "lm"
    )
    text = f"Intro {evil}. A customer {evil} was helped with an umbrella. The end.{tail}"
    source = Source(
        id=f"s{ident}",
        language=lang,
        titles=((lang.id, f"Source {evil}"), ("en", f"Source en {evil}")),
        text=text,
        sha256=sha(text),
        origin=f"Origin {evil}",
        origin_url=f"https://example.org/{evil}",
        tags=(f"tag {evil}",),
    )
    company = Company(
        id=f"c{ident}",
        name=f"Company {evil}",
        aliases=(f"Alias {evil}",),
        industry=f"Industry {evil}",
        country="US",
    )
    principle = Principle(
        id=f"p{ident}",
        names=((lang.id, f"Principle {evil}"),),
        aliases=(f"Palias {evil}",),
        definitions=(("en", f"Definition {evil}"), (lang.id, f"Definition l {evil}")),
        statement=Quote(source=source, span=Span(start=0, end=5)),
    )
    span = Span(start=6, end=len(text))
    story = Story(
        id=f"story{ident}",
        titles=(
            (lang.id, f"Title {evil}"),
            ("en", f"Title en {evil} umbrella"),
            (other.id, f"Title m {evil}"),
        ),
        summaries=(
            ("en", f"Summary {evil} umbrella"),
            (lang.id, f"Summary l {evil}"),
            (other.id, f"Summary m {evil}"),
        ),
        company=company,
        principles=(principle,),
        language=lang,
        source=source,
        span=span,
        channel="phone",
        translations=(
            Translation(
                language=other,
                segments=(
                    Segment(span=span, original=text[6:], text=f"Translated {evil} umbrella"),
                ),
                translator=f"Translator {evil}",
                review=f"Review {evil}",
            ),
        ),
    )
    return Corpus(
        languages=[lang, other], companies=[company], principles=[principle],
        sources=[source], stories=[story],
    )  # fmt: skip


# -- hypothesis strategies for whole corpora ---------------------------------------------


SCRIPTS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЯ",
    "fa": "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی۰۱۲\u200c",
    "en": string.ascii_letters + string.digits,
}
words = st.sampled_from(sorted(SCRIPTS)).flatmap(
    lambda lang: st.text(alphabet=SCRIPTS[lang], min_size=1, max_size=12)
)
sentences = st.lists(words, min_size=1, max_size=8).map(" ".join)


@st.composite
def segment_spans(draw: st.DrawFn, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans that cover text[start:end] in order, cut at some of its runs of white space."""
    runs = [
        (start + a, start + b) for a, b in (m.span() for m in re.finditer(r"\s+", text[start:end]))
    ]
    cuts = sorted(draw(st.lists(st.sampled_from(runs), unique=True))) if runs else []
    pieces, position = [], start
    for a, b in cuts:
        if a > position:
            pieces.append((position, a))
        position = b
    if end > position:
        pieces.append((position, end))
    return pieces


#: Licence expressions of the kinds a corpus's sources carry.
LICENSES = ("CC-BY-4.0", "MIT OR Apache-2.0", "(CC0-1.0 AND MIT)", "LicenseRef-own-words")


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    languages = [
        Language(id="ru", name="Russian", native_name="русский", direction="ltr"),
        Language(id="fa", name="Persian", native_name="فارسی", direction="rtl"),
        Language(id="en", name="English", native_name="English", direction="ltr"),
    ]
    companies = [
        Company(
            id=f"c{i}",
            name=f"{draw(words)} {i}",
            aliases=(draw(words) + f" co{i}",),
            industry=draw(sentences),
            country=draw(st.sampled_from(["US", "RU", "IR"])),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    sources = []
    for i in range(draw(st.integers(1, 2))):
        text = draw(st.lists(sentences, min_size=2, max_size=6).map("\n\n".join))
        sources.append(
            Source(
                id=f"s{i}",
                language=(language := draw(st.sampled_from(languages))),
                titles=((language.id, draw(sentences)), ("en", draw(sentences)))
                if language.id != "en"
                else (("en", draw(sentences)),),
                text=text,
                sha256=sha(text),
                origin=draw(sentences),
                origin_url=draw(st.none() | st.just("https://example.org/x")),
                origin_span=Span(start=0, end=1),
                tags=tuple(draw(st.lists(words, max_size=2))),
                license=draw(st.none() | st.sampled_from(LICENSES)),
                rights=draw(st.none() | sentences),
            )
        )
    principles = [
        Principle(
            id=f"p{i}",
            names=(("en", f"principle {i}"), ("fa", draw(words) + f" {i}")),
            definitions=(("en", draw(sentences)),),
            statement=Quote(source=sources[0], span=Span(start=0, end=1)),
        )
        for i in range(draw(st.integers(1, 2)))
    ]
    stories = []
    for i in range(draw(st.integers(0, 4))):
        source = draw(st.sampled_from(sources))
        start = draw(st.integers(0, len(source.text) - 1))
        end = draw(st.integers(start + 1, len(source.text)))
        others = [lang for lang in languages if lang.id != source.language.id]
        translated = draw(st.lists(st.sampled_from(others), max_size=2, unique_by=lambda x: x.id))
        pieces = draw(segment_spans(source.text, start, end)) if translated else []
        translations = tuple(
            Translation(
                language=language,
                segments=tuple(
                    Segment(
                        span=Span(start=a, end=b),
                        original=source.text[a:b],
                        text=draw(sentences),
                        paragraph=n > 0 and "\n" in source.text[pieces[n - 1][1] : a],
                    )
                    for n, (a, b) in enumerate(pieces)
                ),
                translator=draw(sentences),
                review=draw(st.none() | sentences),
                license=draw(st.none() | st.sampled_from(LICENSES)),
            )
            for language in (translated if pieces else [])
        )
        tags = dict.fromkeys([source.language.id, "en", *(t.language.id for t in translations)])
        stories.append(
            Story(
                id=f"story-{i}",
                titles=tuple((tag, draw(sentences)) for tag in tags),
                summaries=tuple(
                    (tag, draw(sentences))
                    for tag in tags
                    if tag != source.language.id or tag == "en"
                ),
                company=draw(st.sampled_from(companies)),
                principles=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(principles),
                            min_size=1,
                            max_size=2,
                            unique_by=lambda p: p.id,
                        )
                    )
                ),
                language=source.language,
                source=source,
                span=Span(start=start, end=end),
                channel=draw(st.sampled_from([None, *clientocracy.CHANNELS])),
                translations=translations,
            )
        )
    return Corpus(
        languages=languages,
        companies=companies,
        principles=principles,
        sources=sources,
        stories=stories,
    )


# Stories for the exports: any text a UTF-8 file can hold, in three scripts.

THREE_SCRIPTS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЯ",
    "fa": "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیۀ۰۱۲\u200c\u200d",
    "en": "abcxyzABCXYZ0189’'",
}
THREE_LANGUAGES = {
    "ru": Language(id="ru", name="Russian", native_name="русский", direction="ltr"),
    "fa": Language(id="fa", name="Persian", native_name="فارسی", direction="rtl"),
    "en": Language(id="en", name="English", native_name="English", direction="ltr"),
}
# Any character a UTF-8 file can hold, beside the three scripts.
any_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8)
any_words = st.sampled_from(sorted(THREE_SCRIPTS)).flatmap(
    lambda lang: st.text(alphabet=THREE_SCRIPTS[lang], min_size=1, max_size=10)
)
any_sentences = st.lists(any_words | any_text, min_size=1, max_size=6).map(" ".join)


@st.composite
def stories_of_three_scripts(draw: st.DrawFn) -> list[Story]:
    sources = []
    for number in range(draw(st.integers(1, 3))):
        language = THREE_LANGUAGES[draw(st.sampled_from(sorted(THREE_LANGUAGES)))]
        text = draw(st.lists(any_sentences, min_size=1, max_size=5).map("\n\n".join))
        sources.append(
            Source(
                id=f"s{number}",
                language=language,
                titles=((language.id, draw(any_sentences)), ("en", draw(any_sentences))),
                text=text,
                sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                origin=draw(any_sentences),
            )
        )
    principles = [
        Principle(
            id=f"p{number}",
            names=(("en", draw(any_sentences)), ("fa", draw(any_sentences))),
            definitions=(("en", draw(any_sentences)),),
            statement=Quote(source=sources[0], span=Span(start=0, end=1)),
        )
        for number in range(2)
    ]
    stories = []
    for number in range(draw(st.integers(0, 5))):
        source = draw(st.sampled_from(sources))
        start = draw(st.integers(0, len(source.text) - 1))
        end = draw(st.integers(start + 1, len(source.text)))
        translations = []
        others = [tag for tag in sorted(THREE_LANGUAGES) if tag != source.language.id]
        for tag in draw(st.lists(st.sampled_from(others), unique=True, max_size=2)):
            cut = draw(st.integers(start, end))
            spans = [Span(start=start, end=cut), Span(start=cut, end=end)]
            translations.append(
                Translation(
                    language=THREE_LANGUAGES[tag],
                    segments=tuple(
                        Segment(
                            span=span,
                            original=source.text[span.slice()],
                            text=draw(any_sentences),
                            paragraph=draw(st.booleans()),
                        )
                        for span in spans
                        if len(span)
                    ),
                    translator=draw(any_sentences),
                    review=draw(st.none() | any_sentences),
                    license=draw(st.none() | st.just("CC-BY-4.0")),
                )
            )
        stories.append(
            Story(
                id=f"story-{number}",
                titles=((source.language.id, draw(any_sentences)), ("en", draw(any_sentences))),
                summaries=(("en", draw(any_sentences)), ("fa", draw(any_sentences))),
                company=Company(
                    id=f"c{number}",
                    name=draw(any_sentences),
                    industry=draw(any_sentences),
                    country=draw(st.sampled_from(["US", "RU", "IR"])),
                ),
                principles=tuple(draw(st.lists(st.sampled_from(principles), unique=True))),
                language=source.language,
                source=source,
                span=Span(start=start, end=end),
                channel=draw(st.sampled_from([None, *clientocracy.CHANNELS])),
                translations=tuple(translations),
            )
        )
    return stories


# -- the bundled catalog, read raw: an oracle that shares no code with the package ---------

DATA = Path(__file__).resolve().parents[1] / "src" / "clientocracy" / "data"


def raw_catalog() -> dict[str, Any]:
    """The bundled catalog as JSON, read without the package."""
    data: dict[str, Any] = json.loads((DATA / "catalog.json").read_text(encoding="utf-8"))
    return data


def raw_story_ids(company: str | None = None) -> list[str]:
    """The ids of the bundled stories in catalog order, of one company if given."""
    return [
        story["id"]
        for story in raw_catalog()["stories"]
        if company is None or story["company"] == company
    ]


def raw_passage(story_id: str) -> str:
    """A bundled story's passage: its source's text file cut at its span."""
    catalog = raw_catalog()
    story = next(s for s in catalog["stories"] if s["id"] == story_id)
    source = next(s for s in catalog["sources"] if s["id"] == story["source"])
    text = (DATA / source["file"]).read_bytes().decode("utf-8-sig")
    return text[story["span"]["start"] : story["span"]["end"]]


ANSI = re.compile("\x1b\\[[0-9;?]*[a-zA-Z]")


def plain(text: str) -> str:
    """*text* as a terminal shows it, without its escape sequences."""
    return ANSI.sub("", text)


def story_row(story: Story) -> dict[str, Any]:
    """A story as a row of the stories table, from its fields."""
    return {
        "id": story.id,
        "title": story.title,
        "title_en": story.title_en,
        "summary": story.summary,
        "company": story.company.id,
        "company_name": story.company.name,
        "principles": [p.id for p in story.principles],
        "language": story.language.id,
        "source": story.source.id,
        "span_start": story.span.start,
        "span_end": story.span.end,
        "channel": story.channel,
        "text": story.source.text[story.span.start : story.span.end],
        "source_license": story.source.license,
        "language_name": story.language.name,
        "languages": [story.language.id, *(t.language.id for t in story.translations)],
        "company_country": story.company.country,
        "company_industry": story.company.industry,
        "principle_names": [p.name for p in story.principles],
        "titles": [{"language": tag, "text": text} for tag, text in story.titles],
        "summaries": [{"language": tag, "text": text} for tag, text in story.summaries],
        "translations": [
            {
                "language": t.language.id,
                "translator": t.translator,
                "review": t.review,
                "license": t.license,
                "text": t.text,
                "segments": [
                    {
                        "start": s.span.start,
                        "end": s.span.end,
                        "original": story.source.text[s.span.start : s.span.end],
                        "text": s.text,
                        "paragraph": s.paragraph,
                    }
                    for s in t.segments
                ],
            }
            for t in story.translations
        ],
    }
