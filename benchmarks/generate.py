"""Deterministic synthetic corpora in the public catalog format, for benchmarks.

Run: ``python benchmarks/generate.py N FOLDER [--seed S] [--translations]``

The same N and seed always give the same bytes. The corpus looks like the
bundled one at scale: passages in Russian, Persian and English (45/35/20 %)
made of words drawn, with a Zipf-like skew, from the bundled texts and
summaries, with the bundled passages' lengths; English titles and summaries
of the bundled lengths; a few hundred companies with aliases in Latin,
Cyrillic and Persian script; and the bundled principle taxonomy, referred to
by id as a user's corpus would. With translations, every story is also
translated into the two other languages, one segment a sentence.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

import clientocracy

GENERATOR_VERSION = 1
LANGUAGES = (("ru", 0.45), ("fa", 0.35), ("en", 0.20))
STORIES_PER_SOURCE = 1000


def _vocabulary() -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for source in clientocracy.sources():
        words[source.language.id] = re.findall(r"[^\W\d_]+", source.text)
    english = " ".join(f"{s.title_en} {s.summary}" for s in clientocracy.stories())
    words["en"] = re.findall(r"[^\W\d_]+", english)
    return words


class _Words:
    """Draws words with a Zipf-like skew: frequent words stay frequent, and the
    long tail gets numbered variants so that rare words exist at every size."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        counts: dict[str, int] = {}
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        self.words = sorted(counts, key=lambda w: (-counts[w], w))
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng

    def draw(self, n: int) -> list[str]:
        picks = self.rng.choices(self.words, cum_weights=self.cumulative, k=n)
        # One word in forty is a rare variant: a word plus a letter suffix.
        return [
            word + "abcdefghij"[self.rng.randrange(10)] if self.rng.random() < 0.025 else word
            for word in picks
        ]

    def sentence(self, n: int) -> str:
        words = self.draw(n)
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + "."

    def text(self, length: int) -> str:
        sentences: list[str] = []
        size = 0
        while size < length:
            sentence = self.sentence(self.rng.randint(6, 18))
            sentences.append(sentence)
            size += len(sentence) + 1
        return " ".join(sentences)


def _translations(
    language: str, passage: str, offset: int, vocabulary: dict[str, _Words]
) -> list[dict[str, object]]:
    """The passage (at *offset* in its source) in the two other languages, a segment a sentence."""
    bounds, start = [], 0
    for end in itertools.chain((m.end() for m in re.finditer(r"\. ", passage)), [len(passage)]):
        bounds.append((offset + start, offset + end))
        start = end
    return [
        {
            "language": other,
            "translator": "Generated for benchmarks.",
            "segments": [
                {"start": a, "end": b, "text": vocabulary[other].sentence(max(3, (b - a) // 7))}
                for a, b in bounds
            ],
        }
        for other, _ in LANGUAGES
        if other != language
    ]


def _to_version_2(item: dict[str, Any], language: str) -> None:
    """Turn a version-1 item's title, title_en and summary into version 2's texts by language."""
    title, english = item["title"], item.pop("title_en")
    item["title"] = {language: title, "en": english} if language != "en" else {"en": english}
    if "summary" in item:
        item["summary"] = {"en": item["summary"]}


def generate(n: int, folder: Path, seed: int = 0, translations: bool = False) -> Path:
    """Write a corpus of *n* stories to *folder* (created) and return it."""
    rng = random.Random(f"{seed}:{n}:{GENERATOR_VERSION}")
    vocabulary = {lang: _Words(words, rng) for lang, words in _vocabulary().items()}
    bundled = clientocracy.stories()
    passage_lengths = [len(story.text) for story in bundled]
    summary_lengths = [len(story.summary) for story in bundled]
    principle_ids = [p.id for p in clientocracy.principles()]
    languages = [lang for lang, _ in LANGUAGES]
    language_weights = [weight for _, weight in LANGUAGES]

    companies = []
    for number in range(min(300, max(3, n // 30))):
        latin = " ".join(vocabulary["en"].draw(2)).title()
        companies.append(
            {
                "id": f"company-{number:03d}",
                "name": f"{latin} {number}",
                "aliases": [
                    f"{vocabulary['ru'].draw(1)[0]} {number}",
                    f"{vocabulary['fa'].draw(1)[0]} {number}",
                ],
                "industry": rng.choice(["retail", "airline", "hotel", "toys", "food"]),
                "country": rng.choice(["US", "GB", "RU", "IR", "DE"]),
            }
        )
    # A few companies have many stories, most have a few, as in real life.
    company_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(companies))))

    (folder / "texts").mkdir(parents=True, exist_ok=True)
    sources, stories = [], []
    for first in range(0, n, STORIES_PER_SOURCE):
        source_no = first // STORIES_PER_SOURCE
        language = rng.choices(languages, weights=language_weights)[0]
        words = vocabulary[language]
        passages, spans, offset = [], [], 0
        for _ in range(min(STORIES_PER_SOURCE, n - first)):
            length = max(80, int(rng.choice(passage_lengths) * rng.uniform(0.7, 1.3)))
            passage = words.text(length)
            spans.append((offset, offset + len(passage)))
            passages.append(passage)
            offset += len(passage) + 2
        text = "\n\n".join(passages) + "\n"
        file = f"texts/source-{source_no:05d}.txt"
        (folder / file).write_text(text, encoding="utf-8", newline="")
        sources.append(
            {
                "id": f"source-{source_no:05d}",
                "file": file,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "language": language,
                "title": words.sentence(4),
                "title_en": vocabulary["en"].sentence(4),
                "origin": "Generated for benchmarks.",
            }
        )
        for (start, end), passage, number in zip(
            spans, passages, itertools.count(first), strict=False
        ):
            company = companies[
                bisect.bisect_left(company_weights, rng.random() * company_weights[-1])
            ]
            summary_length = rng.choice(summary_lengths)
            stories.append(
                {
                    "id": f"story-{number:07d}",
                    "source": sources[-1]["id"],
                    "span": {"start": start, "end": end},
                    "company": company["id"],
                    "principles": rng.sample(principle_ids, rng.randint(1, 4)),
                    "title": words.sentence(rng.randint(3, 6)).rstrip("."),
                    "title_en": vocabulary["en"].sentence(rng.randint(3, 8)).rstrip("."),
                    "summary": vocabulary["en"].text(summary_length),
                    "channel": rng.choice([None, *clientocracy.CHANNELS]),
                }
            )
            if translations:
                story = stories[-1]
                _to_version_2(story, language)
                # A translated story has its title and summary in every language it reads in.
                for other, _ in LANGUAGES:
                    story["title"].setdefault(other, vocabulary[other].sentence(5).rstrip("."))
                    story["summary"].setdefault(other, vocabulary[other].text(summary_length))
                story["translations"] = _translations(language, passage, start, vocabulary)
    if translations:
        # Translations are a feature of version 2, where texts are objects by language.
        for source in sources:
            _to_version_2(source, str(source["language"]))
    catalog = {
        "format": "clientocracy-catalog",
        "version": 2 if translations else 1,
        "languages": [],
        "companies": companies,
        "principles": [],
        "sources": sources,
        "stories": stories,
    }
    with open(folder / "catalog.json", "w", encoding="utf-8") as file:
        json.dump(catalog, file, ensure_ascii=False, separators=(",", ":"))
    return folder


def cached(n: int, root: Path, seed: int = 0, translations: bool = False) -> Path:
    """The corpus of *n* stories under *root*, generated once and then reused."""
    kind = "-translated" if translations else ""
    folder = root / f"corpus-{n}-seed{seed}-v{GENERATOR_VERSION}{kind}"
    done = folder / ".complete"
    if not done.exists():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        generate(n, folder, seed, translations)
        done.touch()
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of stories")
    parser.add_argument("folder", type=Path, help="where to write the corpus (created)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--translations", action="store_true", help="translate every story into two languages"
    )
    args = parser.parse_args()
    generate(args.n, args.folder, args.seed, args.translations)


if __name__ == "__main__":
    main()
