"""clientocracy's benchmark suite: start-up, and queries on corpora that grow.

Run: ``python benchmarks/run.py [--sizes 10000,100000,1000000] [--json FILE]``

Prints one table a part and writes the same figures as JSON (default
``benchmarks/results.json``). Every timing is a median over repeated runs
and is set against a baseline measured in the same run, since a machine's
speed varies from run to run:

1. Start-up, each case in fresh processes; baseline ("the floor"):
   ``python -c "import attrs, importlib_resources"``.
2. Scale, on synthetic corpora from ``generate.py`` (cached under
   ``benchmarks/.corpora``): load time and peak memory; facet queries beside
   a naive linear scan and SQLite tables with indexes; search beside an FTS5
   table of the raw fields and a naive scan.

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

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SCRIPT = shutil.which("clientocracy", path=str(Path(PYTHON).parent)) or "clientocracy"
# Installed packages run from compiled bytecode; let the warm-up write it even
# where the environment asks Python not to.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

BUDGETS = {"import": 5.0, "first query": 15.0, "cli": 15.0}
TARGETS = {"facet_ms": 1.0, "load_100k_s": 2.0, "memory_ratio": 3.0}

STARTUP: list[tuple[str, list[str], float | None]] = [
    (
        "floor: import attrs, importlib_resources",
        [PYTHON, "-c", "import attrs, importlib_resources"],
        None,
    ),
    ("import clientocracy", [PYTHON, "-c", "import clientocracy"], BUDGETS["import"]),
    (
        "import + first stories(company=...)",
        [PYTHON, "-c", "import clientocracy; clientocracy.stories(company='Zappos')"],
        BUDGETS["first query"],
    ),
    ("clientocracy show ID", [SCRIPT, "show", "zappos-ten-hour-call"], BUDGETS["cli"]),
    ("clientocracy list", [SCRIPT, "list"], BUDGETS["cli"]),
    ("clientocracy search WORD", [SCRIPT, "search", "будильники"], BUDGETS["cli"]),
]


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


# -- 1. start-up ----------------------------------------------------------------


def startup(runs: int) -> list[dict[str, Any]]:
    def spawn(command: list[str]) -> None:
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=ENV)

    for _, command, _ in STARTUP:  # warm the file cache and the bytecode cache
        spawn(command)
    results: list[dict[str, Any]] = []
    floor = 0.0
    for name, command, budget in STARTUP:
        median = median_ms(lambda command=command: spawn(command), runs)  # type: ignore[misc]
        floor = floor or median
        over = median - floor
        results.append(
            {
                "case": name,
                "median_ms": round(median, 2),
                "over_floor_ms": round(over, 2),
                "ratio_to_floor": round(median / floor, 3),
                "budget_over_floor_ms": budget,
                "ok": None if budget is None else over <= budget,
            }
        )
    return results


# -- 2. scale (run in a fresh process per corpus, for a clean peak memory) -------


def worker(n: int, folder: Path, runs: int, search: bool) -> dict[str, Any]:
    import re
    import resource
    import sqlite3

    import clientocracy

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    text_bytes = sum(f.stat().st_size for f in (folder / "texts").iterdir())
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

    if not search:
        return out

    # Query words taken from the data itself: a generated rare variant
    # (a word with a Latin letter appended), the commonest Russian word, a
    # phrase, and a common word filtered by company.
    russian = corpus.stories(language="ru")
    sample = " ".join(s.text for s in russian[len(russian) // 2 :][:200])
    rare = re.search(r"\b[а-я]{4,}[a-j]\b", sample)
    words = re.findall(r"\b[а-я]{3,}\b", sample.lower())
    pair = re.search(r"\b([а-я]{4,}) ([а-я]{4,})\b", sample.lower())
    phrase = f'"{pair.group(1)} {pair.group(2)}" ' if pair else f'"{words[3]} {words[4]}" '
    # A final space makes a query whole words, as the FTS5 baseline's are;
    # the "while typing" row compares prefix queries on both sides.
    searches = {
        "rare word": (rare.group() if rare else words[0]) + " ",
        "common word": "и ",
        "phrase": phrase,
        "filtered (common word + company)": ("и ", company.id),
        "while typing (prefix)": words[5][:3],
    }

    start = time.perf_counter()
    corpus.search("warm-up")
    out["search_index_build_s"] = round(time.perf_counter() - start, 3)
    out["peak_mb_after_search_index"] = round(peak_mb(), 1)

    fts = sqlite3.connect(":memory:")
    start = time.perf_counter()
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
    out["fts5_raw_build_s"] = round(time.perf_counter() - start, 3)

    def fts5(query: str, company: str | None = None) -> list[Any]:
        match = " ".join(f'"{w}"' for w in query.split()) if not query.startswith('"') else query
        if not query.endswith(" "):
            match += "*"
        if company is None:
            sql_text = (
                "SELECT rowid, snippet(raw, 4, '[', ']', '…', 24) FROM raw WHERE raw MATCH ? "
                "ORDER BY bm25(raw, 5, 5, 5, 2, 1), rowid LIMIT 10"
            )
            return fts.execute(sql_text, (match,)).fetchall()
        rows = db.execute("SELECT n FROM story WHERE company = ?", (company,)).fetchall()
        allowed = ",".join(str(r) for (r,) in rows)
        sql_text = (
            "SELECT rowid, snippet(raw, 4, '[', ']', '…', 24) FROM raw WHERE raw MATCH ? "
            f"AND rowid IN ({allowed}) ORDER BY bm25(raw, 5, 5, 5, 2, 1), rowid LIMIT 10"
        )
        return fts.execute(sql_text, (match,)).fetchall()

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
        results.append(json.loads(done.stdout))
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
        "Start-up: median of fresh processes (ms)",
        ["case", "median", "floor +", "x floor", "budget", ""],
        [
            [
                r["case"],
                f"{r['median_ms']:.1f}",
                f"{r['over_floor_ms']:+.1f}",
                f"{r['ratio_to_floor']:.2f}",
                "" if r["budget_over_floor_ms"] is None else f"+{r['budget_over_floor_ms']:.0f}",
                verdict(r["ok"]),
            ]
            for r in data["startup"]
        ],
    )
    scale_rows = data["scale"]
    table(
        "Loading",
        ["stories", "text MB", "load s", "peak MB", "peak/text", "first filter ms"],
        [
            [
                f"{r['stories']:,}",
                r["text_mb"],
                r["load_s"],
                r["peak_mb_after_load"],
                r["memory_ratio"],
                r["first_filtered_query_ms"],
            ]
            for r in scale_rows
        ],
    )
    table(
        "Facet queries: median ms (SQLite: tables with indexes; naive: a list comprehension)",
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
    searched = [r for r in scale_rows if "search" in r]
    table(
        "Search, top 10 with snippets: median ms (FTS5: a table of the raw fields, unicode61)",
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
        "Search index",
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
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--search", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        n, folder, runs = args.worker
        print(json.dumps(worker(int(n), Path(folder), int(runs), args.search)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = args.runs
    if args.smoke:
        sizes, runs = [300], 3
    data = {
        "machine": machine(),
        "runs": runs,
        "startup": startup(runs if not args.smoke else 2),
        "scale": scale(sizes, runs, args.search_max),
    }
    report(data)
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
