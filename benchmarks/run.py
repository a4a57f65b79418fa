"""clientocracy's benchmark suite: start-up, and queries on corpora that grow.

Run: ``python benchmarks/run.py [--sizes 10000,100000,1000000] [--json FILE]``

Prints one table a part and writes the same figures as JSON (default
``benchmarks/results.json``). Every timing is a median over repeated runs
and is set against a baseline measured in the same run, since a machine's
speed varies from run to run:

1. Start-up, each case in fresh processes; baseline ("the floor"):
   ``python -c "import attrs, importlib_resources"``. The command line on a
   compiled corpus of ``--cli-size`` stories is set against the same command
   on the bundled ten stories.
2. Scale, on synthetic corpora from ``generate.py`` (cached under
   ``benchmarks/.corpora``): loading the JSON catalog beside ``json.loads``
   of it, and peak memory; facet queries beside a naive linear scan and
   SQLite tables with indexes; search beside an FTS5 table of the raw fields
   and a naive scan.
3. Compiled corpora: compiling (the search index beside building a raw FTS5
   table in a file), then, in a fresh process, opening the file beside a raw
   ``sqlite3.connect``, facet queries, search beside the raw FTS5 file, and
   the resident memory after all of it.

4. Exports (``exports.py``): loading a catalog with translations beside
   the same without, and exporting 10,000 and 100,000 stories with
   translations to Parquet and JSONL, from a folder and from a compiled
   file: time and peak memory (``--export-sizes``).

``--smoke`` runs everything once on a tiny corpus: it checks that the suite
works, and its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The script's folder is on the path: the exports benchmark is a module beside it.
from exports import memory_mb

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SCRIPT = shutil.which("clientocracy", path=str(Path(PYTHON).parent)) or "clientocracy"
# Installed packages run from compiled bytecode; let the warm-up write it even
# where the environment asks Python not to.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# Targets, as ratios of medians to a baseline measured in the same run.
RATIOS = {
    "import": 1.0,
    "first query": 1.1,
    "cli": 1.15,
    "search": 1.25,
    "compiled cli": 1.2,
    # A command that only prints its version or help starts like a small
    # script: it imports neither the records nor the data.
    "version": 1.05,
}
TARGETS = {
    "facet_ms": 1.0,
    "load_to_json_loads": 2.0,
    "memory_ratio": 1.5,
    "open_ms": 50.0,
    "rss_mb": 100.0,
    "rare_search_ms": 20.0,
    "search_to_fts5": 1.5,
    "index_to_fts5": 1.5,
}

STARTUP: list[tuple[str, list[str], float | None]] = [
    (
        "floor: import attrs, importlib_resources",
        [PYTHON, "-c", "import attrs, importlib_resources"],
        None,
    ),
    ("import clientocracy", [PYTHON, "-c", "import clientocracy"], RATIOS["import"]),
    (
        "import + first stories(company=...)",
        [PYTHON, "-c", "import clientocracy; clientocracy.stories(company='Zappos')"],
        RATIOS["first query"],
    ),
    ("clientocracy --version", [SCRIPT, "--version"], RATIOS["version"]),
    ("clientocracy --help", [SCRIPT, "--help"], RATIOS["version"]),
    ("clientocracy show ID", [SCRIPT, "show", "zappos-ten-hour-call"], RATIOS["cli"]),
    ("clientocracy list", [SCRIPT, "list"], RATIOS["cli"]),
    ("clientocracy search WORD", [SCRIPT, "search", "будильники"], RATIOS["search"]),
]


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


# -- 1. start-up ----------------------------------------------------------------


def startup(runs: int, compiled: Path | None, company: str, word: str) -> list[dict[str, Any]]:
    def spawn(command: list[str]) -> None:
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=ENV)

    cases: list[tuple[str, list[str], float | None, str | None]] = [
        (name, command, ratio, None) for name, command, ratio in STARTUP
    ]
    if compiled is not None:
        with_file = [SCRIPT, "--corpus", str(compiled)]
        cases += [
            (
                "compiled: list --company NAME",
                [*with_file, "list", "--company", company],
                RATIOS["compiled cli"],
                "clientocracy list",
            ),
            (
                "compiled: search WORD",
                [*with_file, "search", word],
                RATIOS["compiled cli"],
                "clientocracy search WORD",
            ),
        ]
    for _, command, _, _ in cases:  # warm the file cache and the bytecode cache
        spawn(command)
    medians: dict[str, float] = {}
    # Interleaved rounds: a machine that slows down for a while slows every
    # case alike, rather than the ones that happened to run then.
    times: dict[str, list[float]] = {name: [] for name, *_ in cases}
    for _ in range(runs):
        for name, command, _, _ in cases:
            start = time.perf_counter()
            spawn(command)
            times[name].append(time.perf_counter() - start)
    results: list[dict[str, Any]] = []
    floor = statistics.median(times[cases[0][0]]) * 1000
    for name, _, target, against in cases:
        median = medians[name] = statistics.median(times[name]) * 1000
        baseline = floor if against is None else medians[against]
        ratio = median / baseline
        results.append(
            {
                "case": name,
                "median_ms": round(median, 2),
                "over_floor_ms": round(median - floor, 2),
                "ratio_to_floor": round(median / floor, 3),
                "baseline": "floor" if against is None else against,
                "ratio": round(ratio, 3),
                "target_ratio": target,
                "ok": None if target is None else ratio <= target,
            }
        )
    return results


# -- 2. scale (run in a fresh process per corpus, for a clean peak memory) -------


def search_queries(corpus: Any, company: str) -> dict[str, str | tuple[str, str]]:
    """Query words taken from the data itself: a generated rare variant (a word
    with a Latin letter appended), the commonest Russian word, a phrase, a
    common word filtered by company, and a prefix."""
    import re

    russian = corpus.stories(language="ru")
    sample = " ".join(s.text for s in russian[len(russian) // 2 :][:200])
    rare = re.search(r"\b[а-я]{4,}[a-j]\b", sample)
    words = re.findall(r"\b[а-я]{3,}\b", sample.lower())
    pair = re.search(r"\b([а-я]{4,}) ([а-я]{4,})\b", sample.lower())
    phrase = f'"{pair.group(1)} {pair.group(2)}" ' if pair else f'"{words[3]} {words[4]}" '
    # A final space makes a query whole words, as the FTS5 baseline's are;
    # the "while typing" row compares prefix queries on both sides.
    return {
        "rare word": (rare.group() if rare else words[0]) + " ",
        "common word": "и ",
        "phrase": phrase,
        "filtered (common word + company)": ("и ", company),
        "while typing (prefix)": words[5][:3],
    }


def build_raw_fts5(fts: Any, stories: Any) -> None:
    """The peer of the search index: an FTS5 table of the raw fields, unicode61."""
    fts.execute(
        "CREATE VIRTUAL TABLE raw USING fts5(title, title_en, company, summary, body, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    fts.executemany(
        "INSERT INTO raw(rowid, title, title_en, company, summary, body) VALUES (?, ?, ?, ?, ?, ?)",
        (
            (i, s.title, s.title_en, " ".join(s.company.names), s.summary, s.text)
            for i, s in enumerate(stories)
        ),
    )
    fts.commit()


def raw_fts5_search(fts: Any, positions_of: Callable[[str], list[int]]) -> Callable[..., Any]:
    """Top 10 with FTS5's own snippets from the raw table, as our search answers."""

    def fts5(query: str, company: str | None = None) -> list[Any]:
        match = " ".join(f'"{w}"' for w in query.split()) if not query.startswith('"') else query
        if not query.endswith(" "):
            match += "*"
        if company is None:
            sql_text = (
                "SELECT rowid, snippet(raw, 4, '[', ']', '…', 24) FROM raw WHERE raw MATCH ? "
                "ORDER BY bm25(raw, 5, 5, 5, 2, 1), rowid LIMIT 10"
            )
            return list(fts.execute(sql_text, (match,)).fetchall())
        allowed = ",".join(str(r) for r in positions_of(company))
        sql_text = (
            "SELECT rowid, snippet(raw, 4, '[', ']', '…', 24) FROM raw WHERE raw MATCH ? "
            f"AND rowid IN ({allowed}) ORDER BY bm25(raw, 5, 5, 5, 2, 1), rowid LIMIT 10"
        )
        return list(fts.execute(sql_text, (match,)).fetchall())

    return fts5


def compiled_files(n: int) -> tuple[Path, Path]:
    """Where the compiled corpus of *n* stories and its raw FTS5 peer are written."""
    root = HERE / ".corpora"
    return root / f"compiled-{n}.sqlite", root / f"raw-fts5-{n}.sqlite"


def worker(n: int, folder: Path, runs: int, search: bool) -> dict[str, Any]:
    import resource
    import sqlite3

    import clientocracy

    def peak_mb() -> float:
        # VmHWM, not ru_maxrss: the latter survives exec, so a worker would
        # report its parent's peak.
        return memory_mb().get("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    text_bytes = sum(f.stat().st_size for f in (folder / "texts").iterdir())
    # The million-story catalog is larger than load() accepts by default
    # (MAX_CATALOG_BYTES, a limit against hostile input): raise the limit
    # here, as an application that trusts such a corpus would.
    import clientocracy._catalog.loading

    catalog_size = (folder / "catalog.json").stat().st_size
    clientocracy._catalog.loading.MAX_CATALOG_BYTES = max(
        clientocracy._catalog.loading.MAX_CATALOG_BYTES, catalog_size
    )
    base_mb = peak_mb()
    start = time.perf_counter()
    corpus = clientocracy.load(folder)
    out: dict[str, Any] = {
        "stories": n,
        "text_mb": round(text_bytes / 2**20, 1),
        "load_s": round(time.perf_counter() - start, 3),
        "peak_mb_after_load": round(peak_mb(), 1),
        "python_mb_before_load": round(base_mb, 1),
    }
    out["memory_ratio"] = round((out["peak_mb_after_load"] - base_mb) / out["text_mb"], 2)

    stories = corpus.stories()
    middle = stories[n // 2]
    company = middle.company
    alias = company.aliases[0]
    principle = middle.principles[0].id

    # The same questions, three ways.
    queries: dict[str, dict[str, Any]] = {
        "one company": {"company": company.id},
        "company + language": {"company": company.id, "language": middle.language.id},
        "principle + language (broad)": {"principle": principle, "language": middle.language.id},
        "alias resolution": {"company": alias},
    }

    def naive(
        company: str | None = None, language: str | None = None, principle: str | None = None
    ) -> list[Any]:
        if company is not None:
            company = corpus.company(company).id
        return [
            s
            for s in stories
            if (company is None or s.company.id == company)
            and (language is None or s.language.id == language)
            and (principle is None or any(p.id == principle for p in s.principles))
        ]

    db = sqlite3.connect(":memory:")
    start = time.perf_counter()
    db.execute("CREATE TABLE story (n INTEGER PRIMARY KEY, company TEXT, language TEXT)")
    db.execute("CREATE TABLE story_principle (n INTEGER, principle TEXT)")
    db.execute("CREATE TABLE alias (key TEXT PRIMARY KEY, company TEXT)")
    db.executemany(
        "INSERT INTO story VALUES (?, ?, ?)",
        ((i, s.company.id, s.language.id) for i, s in enumerate(stories)),
    )
    db.executemany(
        "INSERT INTO story_principle VALUES (?, ?)",
        ((i, p.id) for i, s in enumerate(stories) for p in s.principles),
    )
    db.executemany(
        "INSERT OR IGNORE INTO alias VALUES (?, ?)",
        ((clientocracy.name_key(name), c.id) for c in corpus.companies() for name in c.names),
    )
    db.execute("CREATE INDEX story_company ON story (company, language)")
    db.execute("CREATE INDEX story_language ON story (language)")
    db.execute("CREATE INDEX principle_story ON story_principle (principle, n)")
    out["sqlite_tables_build_s"] = round(time.perf_counter() - start, 3)

    def sql(
        company: str | None = None, language: str | None = None, principle: str | None = None
    ) -> list[Any]:
        if company is not None:
            (company,) = db.execute(
                "SELECT company FROM alias WHERE key = ?", (clientocracy.name_key(company),)
            ).fetchone()
        where, params = [], []
        if company is not None:
            where.append("company = ?")
            params.append(company)
        if language is not None:
            where.append("language = ?")
            params.append(language)
        if principle is not None:
            where.append("n IN (SELECT n FROM story_principle WHERE principle = ?)")
            params.append(principle)
        rows = db.execute(f"SELECT n FROM story WHERE {' AND '.join(where)} ORDER BY n", params)
        return [stories[n] for (n,) in rows]

    start = time.perf_counter()
    corpus.stories(company=company.id)
    out["first_filtered_query_ms"] = round((time.perf_counter() - start) * 1000, 2)
    facets = []
    for name, kwargs in queries.items():
        ours = corpus.stories(**kwargs)
        assert list(ours) == naive(**kwargs) == sql(**kwargs), name
        corpus.stories(**kwargs)  # build the masks this query needs
        row = {
            "query": name,
            "results": len(ours),
            "clientocracy_ms": round(
                median_ms(lambda kw=kwargs: corpus.stories(**kw), runs * 5), 4
            ),
            "sqlite_ms": round(median_ms(lambda kw=kwargs: sql(**kw), runs), 4),
            "naive_scan_ms": round(median_ms(lambda kw=kwargs: naive(**kw), max(3, runs // 4)), 3),
        }
        row["ok"] = row["clientocracy_ms"] <= TARGETS["facet_ms"]
        facets.append(row)
    out["facets"] = facets

    # The JSON catalog's own parse, the floor of loading it.
    catalog = (folder / "catalog.json").read_bytes()
    out["catalog_mb"] = round(len(catalog) / 2**20, 1)
    out["json_loads_s"] = round(
        median_ms(lambda: json.loads(catalog), 1 if n >= 1_000_000 else 3) / 1000, 3
    )
    out["load_to_json_loads"] = round(out["load_s"] / out["json_loads_s"], 2)

    # Compiling, and the raw FTS5 table its search index is set against, both
    # written to files.
    from clientocracy._stores.sqlite import compile_corpus

    compiled, raw = compiled_files(n)
    for path in (compiled, raw):
        path.unlink(missing_ok=True)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    compile_corpus(corpus, compiled, timings=timings)
    out["compile_s"] = round(time.perf_counter() - start, 3)
    out["compile_steps_s"] = {step: round(t, 3) for step, t in timings.items()}
    out["compiled_mb"] = round(compiled.stat().st_size / 2**20, 1)
    start = time.perf_counter()
    raw_db = sqlite3.connect(raw)
    build_raw_fts5(raw_db, stories)
    raw_db.close()
    out["fts5_raw_file_build_s"] = round(time.perf_counter() - start, 3)
    out["index_to_fts5"] = round(timings["search_index"] / out["fts5_raw_file_build_s"], 2)

    if not search:
        return out
    searches = search_queries(corpus, company.id)

    start = time.perf_counter()
    corpus.search("warm-up")
    out["search_index_build_s"] = round(time.perf_counter() - start, 3)
    out["peak_mb_after_search_index"] = round(peak_mb(), 1)

    fts = sqlite3.connect(":memory:")
    start = time.perf_counter()
    build_raw_fts5(fts, stories)
    out["fts5_raw_build_s"] = round(time.perf_counter() - start, 3)
    fts5 = raw_fts5_search(
        fts,
        lambda company: [
            n for (n,) in db.execute("SELECT n FROM story WHERE company = ?", (company,))
        ],
    )

    def scan(query: str, company: str | None = None) -> list[Any]:
        needle = query.strip().strip('"').casefold()
        scored = [
            (s.text.casefold().count(needle), -i)
            for i, s in enumerate(stories)
            if company is None or s.company.id == company
        ]
        return sorted(scored, reverse=True)[:10]

    rows = []
    for name, query in searches.items():
        text, company_id = query if isinstance(query, tuple) else (query, None)
        hits = len(corpus.search(text, company=company_id))
        row = {
            "query": name,
            "text": text,
            "hits_top10": hits,
            "clientocracy_ms": round(
                median_ms(lambda t=text, c=company_id: corpus.search(t, company=c), runs), 3
            ),
            "fts5_raw_ms": round(median_ms(lambda t=text, c=company_id: fts5(t, c), runs), 3),
            "naive_scan_ms": round(
                median_ms(lambda t=text, c=company_id: scan(t, c), max(3, runs // 4)), 3
            ),
        }
        row["ratio_to_fts5"] = round(row["clientocracy_ms"] / max(row["fts5_raw_ms"], 1e-6), 2)
        rows.append(row)
    out["search"] = rows
    return out


def compiled_worker(n: int, runs: int) -> dict[str, Any]:
    """Open the compiled corpus in a fresh process, query it, and measure memory."""
    import sqlite3

    compiled, raw = compiled_files(n)
    before = memory_mb()
    start = time.perf_counter()
    import clientocracy

    imported = time.perf_counter()
    corpus = clientocracy.load(compiled)
    opened = time.perf_counter()
    out: dict[str, Any] = {
        "stories": n,
        "rss_mb_before_import": before.get("VmRSS"),
        "import_ms": round((imported - start) * 1000, 2),
        "first_open_ms": round((opened - imported) * 1000, 2),
        "rss_mb_after_open": memory_mb().get("VmRSS"),
    }

    def raw_open() -> None:
        db = sqlite3.connect(compiled)
        db.execute("SELECT value FROM corpus_info WHERE key = 'stories'").fetchone()
        db.close()

    out["open_ms"] = round(median_ms(lambda: clientocracy.load(compiled), runs), 3)
    out["sqlite3_open_ms"] = round(median_ms(raw_open, runs), 3)
    out["open_ok"] = out["first_open_ms"] <= TARGETS["open_ms"]

    stories = corpus.stories()
    middle = stories[n // 2]
    company = middle.company
    queries: dict[str, dict[str, Any]] = {
        "one company": {"company": company.id},
        "company + language": {"company": company.id, "language": middle.language.id},
        "principle + language (broad)": {
            "principle": middle.principles[0].id,
            "language": middle.language.id,
        },
        "alias resolution": {"company": company.aliases[0]},
    }
    facets = []
    for name, kwargs in queries.items():
        start = time.perf_counter()
        found = corpus.stories(**kwargs)
        first = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        first_ten = list(found[:10])
        read_ten = (time.perf_counter() - start) * 1000
        row = {
            "query": name,
            "results": len(found),
            "first_ms": round(first, 3),
            "clientocracy_ms": round(
                median_ms(lambda kw=kwargs: corpus.stories(**kw), runs * 5), 4
            ),
            "read_10_records_ms": round(read_ten, 3),
        }
        assert len(first_ten) == min(10, len(found))
        row["ok"] = row["clientocracy_ms"] <= TARGETS["facet_ms"]
        facets.append(row)
    out["facets"] = facets

    db = sqlite3.connect(compiled)
    fts = sqlite3.connect(raw)
    fts5 = raw_fts5_search(
        fts,
        lambda company: [
            n for (n,) in db.execute("SELECT position FROM stories WHERE company = ?", (company,))
        ],
    )
    rows = []
    for name, query in search_queries(corpus, company.id).items():
        text, company_id = query if isinstance(query, tuple) else (query, None)
        start = time.perf_counter()
        hits = len(corpus.search(text, company=company_id))
        first = (time.perf_counter() - start) * 1000
        row = {
            "query": name,
            "text": text,
            "hits_top10": hits,
            "first_ms": round(first, 3),
            "clientocracy_ms": round(
                median_ms(lambda t=text, c=company_id: corpus.search(t, company=c), runs), 3
            ),
            "fts5_raw_ms": round(median_ms(lambda t=text, c=company_id: fts5(t, c), runs), 3),
        }
        row["ratio_to_fts5"] = round(row["clientocracy_ms"] / max(row["fts5_raw_ms"], 1e-6), 2)
        row["ok"] = row["ratio_to_fts5"] <= TARGETS["search_to_fts5"] and (
            name not in ("rare word", "phrase")
            or row["clientocracy_ms"] <= TARGETS["rare_search_ms"]
        )
        rows.append(row)
    out["search"] = rows
    memory = memory_mb()
    out["rss_mb_after_queries"] = memory.get("VmRSS")
    out["peak_rss_mb"] = memory.get("VmHWM")
    out["memory_ok"] = (out["peak_rss_mb"] or 0) <= TARGETS["rss_mb"]
    return out


def scale(sizes: list[int], runs: int, search_max: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(HERE))
    from generate import cached

    results = []
    for n in sizes:
        folder = cached(n, HERE / ".corpora")
        command = [PYTHON, str(Path(__file__)), "--worker", str(n), str(folder), str(runs)]
        if n <= search_max:
            command.append("--search")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"the benchmark of {n} stories failed:\n{done.stderr}")
        result = json.loads(done.stdout)
        command = [PYTHON, str(Path(__file__)), "--compiled-worker", str(n), str(runs)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"the benchmark of {n} compiled stories failed:\n{done.stderr}")
        result["compiled"] = json.loads(done.stdout)
        results.append(result)
    return results


# -- reporting -------------------------------------------------------------------


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)
    ]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def report(data: dict[str, Any]) -> None:
    print(f"clientocracy benchmarks on {data['machine']['summary']}")
    table(
        "Start-up: median of fresh processes (ms), interleaved",
        ["case", "median", "x baseline", "baseline", "target", ""],
        [
            [
                r["case"],
                f"{r['median_ms']:.1f}",
                f"{r['ratio']:.2f}",
                r["baseline"],
                "" if r["target_ratio"] is None else f"≤ {r['target_ratio']:.2f}",
                verdict(r["ok"]),
            ]
            for r in data["startup"]
        ],
    )
    scale_rows = data["scale"]
    if not scale_rows:
        return
    table(
        "Loading the JSON catalog (json.loads: parsing the catalog alone)",
        [
            "stories",
            "text MB",
            "load s",
            "json.loads s",
            "x json.loads",
            "peak MB",
            "peak/text",
            "first filter ms",
        ],
        [
            [
                f"{r['stories']:,}",
                r["text_mb"],
                r["load_s"],
                r["json_loads_s"],
                r["load_to_json_loads"],
                r["peak_mb_after_load"],
                r["memory_ratio"],
                r["first_filtered_query_ms"],
            ]
            for r in scale_rows
        ],
    )
    table(
        "Facet queries on a JSON corpus: median ms (SQLite: tables with indexes; naive: a scan)",
        ["stories", "query", "results", "clientocracy", "SQLite", "naive scan", "≤ 1 ms"],
        [
            [
                f"{r['stories']:,}",
                f["query"],
                f["results"],
                f["clientocracy_ms"],
                f["sqlite_ms"],
                f["naive_scan_ms"],
                verdict(f["ok"]),
            ]
            for r in scale_rows
            for f in r["facets"]
        ],
    )
    table(
        "Compiling (raw FTS5: the raw fields into an FTS5 table in a file)",
        ["stories", "compile s", "records s", "search index s", "raw FTS5 s", "x FTS5", "file MB"],
        [
            [
                f"{r['stories']:,}",
                r["compile_s"],
                r["compile_steps_s"]["records"],
                r["compile_steps_s"]["search_index"],
                r["fts5_raw_file_build_s"],
                r["index_to_fts5"],
                r["compiled_mb"],
            ]
            for r in scale_rows
        ],
    )
    compiled = [r["compiled"] for r in scale_rows]
    table(
        "Opening a compiled corpus in a fresh process (ms; memory: resident MB)",
        [
            "stories",
            "first open",
            "open again",
            "sqlite3 open",
            "RSS after open",
            "peak RSS after queries",
            "",
        ],
        [
            [
                f"{c['stories']:,}",
                c["first_open_ms"],
                c["open_ms"],
                c["sqlite3_open_ms"],
                c["rss_mb_after_open"],
                c["peak_rss_mb"],
                verdict(c["open_ok"] and c["memory_ok"]),
            ]
            for c in compiled
        ],
    )
    table(
        "Facet queries on a compiled corpus: ms",
        ["stories", "query", "results", "first", "median", "read 10 records", "≤ 1 ms"],
        [
            [
                f"{c['stories']:,}",
                f["query"],
                f["results"],
                f["first_ms"],
                f["clientocracy_ms"],
                f["read_10_records_ms"],
                verdict(f["ok"]),
            ]
            for c in compiled
            for f in c["facets"]
        ],
    )
    table(
        "Search on a compiled corpus, top 10 with snippets: median ms (FTS5: the raw file)",
        ["stories", "query", "first", "clientocracy", "FTS5 raw", "x FTS5", ""],
        [
            [
                f"{c['stories']:,}",
                s["query"],
                s["first_ms"],
                s["clientocracy_ms"],
                s["fts5_raw_ms"],
                s["ratio_to_fts5"],
                verdict(s["ok"]),
            ]
            for c in compiled
            for s in c["search"]
        ],
    )
    searched = [r for r in scale_rows if "search" in r]
    table(
        "Search on a JSON corpus, top 10 with snippets: median ms (FTS5: raw, in memory)",
        ["stories", "query", "clientocracy", "FTS5 raw", "x FTS5", "naive scan"],
        [
            [
                f"{r['stories']:,}",
                s["query"],
                s["clientocracy_ms"],
                s["fts5_raw_ms"],
                s["ratio_to_fts5"],
                s["naive_scan_ms"],
            ]
            for r in searched
            for s in r["search"]
        ],
    )
    table(
        "Search index of a JSON corpus, built in memory on the first search",
        ["stories", "clientocracy build s", "FTS5 raw build s", "peak MB with index"],
        [
            [
                f"{r['stories']:,}",
                r["search_index_build_s"],
                r["fts5_raw_build_s"],
                r["peak_mb_after_search_index"],
            ]
            for r in searched
        ],
    )


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": f"{platform.system()} {platform.release()}",
    }
    info["summary"] = (
        f"{cpu}, {info['cores']} cores, Python {info['python']}, SQLite {info['sqlite']}"
    )
    return info


def cli_corpus(n: int) -> tuple[Path, str, str]:
    """A compiled corpus of *n* stories for the command line (built once, with the
    command line), a company of middling size in it, and a word to search."""
    sys.path.insert(0, str(HERE))
    from generate import cached

    folder = cached(n, HERE / ".corpora")
    target = HERE / ".corpora" / f"cli-{folder.name}.sqlite"
    # A file this release cannot open (an older build of the format) is rebuilt.
    opens = (
        target.exists()
        and not subprocess.run(
            [SCRIPT, "--corpus", str(target), "languages"],
            capture_output=True,
            check=False,
            env=ENV,
        ).returncode
    )
    if not opens:
        target.unlink(missing_ok=True)
        subprocess.run(
            [SCRIPT, "build", str(folder), "-o", str(target)],
            stdout=subprocess.DEVNULL,
            check=True,
            env=ENV,
        )
    # generate.py makes min(300, max(3, n // 30)) companies, the first ones
    # with the most stories; this one has a middling number. (Reading the
    # catalog here would raise this process's peak memory, which the
    # workers it starts inherit.)
    middle = min(300, max(3, n // 30)) // 2
    return target, f"company-{middle:03d}", "будильники"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="corpus sizes, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=20, help="repetitions a median is taken over")
    parser.add_argument(
        "--search-max", type=int, default=100_000, help="benchmark search up to this size"
    )
    parser.add_argument(
        "--json", type=Path, default=HERE / "results.json", help="where to write the figures"
    )
    parser.add_argument("--smoke", action="store_true", help="one quick pass on a tiny corpus")
    parser.add_argument(
        "--cli-size",
        type=int,
        default=200_000,
        help="stories in the compiled corpus the command line is timed on",
    )
    parser.add_argument(
        "--export-sizes",
        default="10000,100000",
        help="sizes of the corpora with translations the exports are measured on",
    )
    parser.add_argument(
        "--only", choices=("startup", "scale", "export"), help="run one part of the suite only"
    )
    parser.add_argument("--export-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--compiled-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--search", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        n, folder, runs = args.worker
        print(json.dumps(worker(int(n), Path(folder), int(runs), args.search)))
        return 0
    if args.compiled_worker:
        n, runs = args.compiled_worker
        print(json.dumps(compiled_worker(int(n), int(runs))))
        return 0
    sys.path.insert(0, str(HERE))
    import exports

    if args.export_worker:
        case, source = args.export_worker
        print(json.dumps(exports.worker(case, source)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    export_sizes = [int(s) for s in args.export_sizes.split(",")]
    runs, cli_size = args.runs, args.cli_size
    if args.smoke:
        sizes, runs, cli_size, export_sizes = [300], 3, 300, [200]
    parts = (args.only,) if args.only else ("startup", "scale", "export")
    data = {
        "machine": machine(),
        "runs": runs,
        "cli_size": cli_size,
        "startup": startup(runs if not args.smoke else 2, *cli_corpus(cli_size))
        if "startup" in parts
        else [],
        "scale": scale(sizes, runs, args.search_max) if "scale" in parts else [],
        "export": exports.exports(export_sizes, ("parquet",) if args.smoke else exports.CASES)
        if "export" in parts
        else [],
    }
    report(data)
    if data["export"]:
        exports.report(data["export"], table)
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
