"""Persian search quality on a small relevance set: the light stemmer against none.

Run `python benchmarks/relevance.py`. Each query of
`benchmarks/persian_relevance.json` is searched over the bundled stories
twice: as the library does it, and with Persian stemming switched off (each
word matched as typed, a suffix written apart being a word of its own). It
prints precision, recall and F1 averaged over the queries, and the queries
each way misses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from unittest import mock

import clientocracy
from clientocracy import Corpus, _search

HERE = Path(__file__).resolve().parent


def evaluate(cases: list[dict[str, object]]) -> tuple[float, float, float, list[str]]:
    # A fresh corpus, so that its index is built with the stemmer in force.
    corpus = Corpus.bundled().merge()
    precision = recall = f1 = 0.0
    missed = []
    for case in cases:
        relevant = set(case["relevant"])  # type: ignore[call-overload]
        found = {hit.story.id for hit in corpus.search(str(case["query"]) + " ", limit=None)}
        right = len(found & relevant)
        p = right / len(found) if found else 1.0
        r = right / len(relevant)
        precision, recall = precision + p, recall + r
        f1 += 2 * p * r / (p + r) if p + r else 0.0
        if found != relevant:
            missed.append(
                f"{case['query']}: found {right}/{len(relevant)}, {len(found - relevant)} wrong"
            )
    n = len(cases)
    return precision / n, recall / n, f1 / n, missed


def main() -> int:
    cases = json.loads((HERE / "persian_relevance.json").read_text("utf-8"))["queries"]
    results = {"light stemmer": evaluate(cases)}
    with (
        mock.patch.object(_search, "_persian_stem", lambda word: word),
        mock.patch.object(_search, "_stemmer", None),
        mock.patch.object(_search, "_analysed", {}),
    ):
        results["no Persian stemming"] = evaluate(cases)
    print(f"{len(cases)} Persian queries over {len(clientocracy.stories())} stories")
    print(f"{'':22}{'precision':>10}{'recall':>8}{'F1':>6}")
    for name, (p, r, f, _) in results.items():
        print(f"{name:22}{p:10.2f}{r:8.2f}{f:6.2f}")
    for name, (_, _, _, missed) in results.items():
        print(f"\n{name}: {len(missed)} queries not answered exactly")
        for line in missed:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
