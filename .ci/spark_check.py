"""Run the Spark example of docs/large-exports.md, and check what it reads.

Run with an environment that has PySpark (and Java 17 or later):
``python .ci/spark_check.py FOLDER``, where ``.ci/spark_exports.py`` made
the files. The example's ``py`` blocks run as they are written, in
FOLDER; then every result is compared with what the library wrote
(``expected.json``), with the other files, and with the schemas that
docs/schema.md documents.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
CORES = 2


def blocks(page: str, language: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang == language]


def documented_segments_ddl() -> str:
    """The Spark column of the segments table in docs/schema.md, as DDL."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    section = text.split("## Segments", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `[^`]+` \| `[^`]+` \| `(\w+)` \|", section, re.MULTILINE)
    return ",".join(f"{name} {kind}" for name, kind in rows)


def check(what: str, ok: bool, detail: Any = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}{': ' if detail != '' else ''}{detail}", flush=True)
    if not ok:
        raise SystemExit(1)


def main() -> int:
    folder = Path(sys.argv[1]).resolve()
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    # Before Spark starts: its JVM resolves the example's relative paths.
    os.chdir(folder)
    from pyspark.sql import SparkSession

    # The example's getOrCreate() finds this session: local, with CORES cores.
    spark = (
        SparkSession.builder.master(f"local[{CORES}]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    examples = [code for code in blocks("large-exports.md", "py") if "pyspark" in code]
    check("the page has a Spark example", len(examples) == 1, len(examples))
    names: dict[str, Any] = {"__name__": "__docs__"}
    exec(compile(examples[0], "docs/large-exports.md", "exec"), names)

    stories, flat, segments = names["stories"], names["flat"], names["segments"]
    check("stories read", stories.count() == expected["stories"], stories.count())
    sizes = stories.rdd.glom().map(len).collect()
    busy = sum(1 for size in sizes if size)
    check(f"stories spread over at least {CORES} partitions", busy >= CORES, sizes)
    by_language = {
        r["language"]: r["count"]
        for r in names["by_language"].groupBy("language").count().collect()
    }
    check("partitions by language read back", by_language == expected["languages"], by_language)
    check("the Hub folder's data read", names["hub"].count() == expected["stories"])
    check("segments file read", flat.count() == expected["segments"], flat.count())
    check("flattened nested = segments file", segments.count() == flat.count())
    check("no row of one missing in the other", segments.exceptAll(flat).count() == 0)
    check("no row of the other missing in one", flat.exceptAll(segments).count() == 0)
    check("the join keeps every segment", names["pairs"].count() == expected["segments"])
    csv = names["csv"]
    check("CSV rows", csv.count() == expected["stories"], csv.count())
    texts = stories.select("id", "text")
    check(
        "CSV texts, line breaks and quotes intact",
        csv.select("id", "text").exceptAll(texts).count() == 0,
    )
    (ddl,) = blocks("schema.md", "sql")
    check("stories schema as documented", stories.schema.toDDL() == ddl.strip())
    check(
        "segments schema as documented",
        flat.schema.toDDL() == documented_segments_ddl(),
        flat.schema.toDDL(),
    )
    print(f"Spark check passed in {time.perf_counter() - started:.0f} s", flush=True)
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
