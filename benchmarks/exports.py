"""The export benchmark: time and peak memory of large exports, and loading translations.

Run through ``run.py`` (``--only export``); every measurement runs in a
fresh process, so that one case's memory is not another's.

1. Loading a catalog with translations beside the same catalog with its
   translations taken out (wall and CPU seconds; the target is 2x).
2. Exporting the corpus, from its folder and from a compiled file, to
   Parquet (stories, and the flat segments table) and JSONL: seconds,
   peak resident memory, and, from a folder, the peak above the loaded
   corpus. Targets at 100,000 stories with translations: Parquet in 30 s
   or less, at most 500 MB above the loaded corpus from a folder, and
   300 MB in all from a compiled file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

TARGETS = {"parquet_s": 30.0, "above_loaded_mb": 500.0, "compiled_total_mb": 300.0, "load": 2.0}
CASES = ("parquet", "segments", "jsonl")


def memory_mb() -> dict[str, float]:
    """Resident memory now (VmRSS) and its peak (VmHWM), from /proc (Linux)."""
    found: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:  # pragma: no cover - not Linux
        pass
    return found


def reset_peak() -> bool:
    """Make the peak resident memory the present one (Linux 4.0+); whether it worked."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def corpora(n: int) -> tuple[Path, Path, Path]:
    """The corpus of *n* stories with translations, its twin without, and its compiled file."""
    sys.path.insert(0, str(HERE))
    from generate import cached

    root = HERE / ".corpora"
    folder = cached(n, root, translations=True)
    # "-2": titles and summaries are kept only in languages with text.
    bare = root / f"{folder.name}-untranslated-2"
    if not (bare / ".complete").exists():
        shutil.rmtree(bare, ignore_errors=True)
        bare.mkdir()
        shutil.copytree(folder / "texts", bare / "texts", copy_function=os.link)
        catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
        told_in = {source["id"]: source["language"] for source in catalog["sources"]}
        for story in catalog["stories"]:
            story.pop("translations", None)
            # Without translations, a story may have titles and summaries only
            # in the language it is told in, and in English.
            keep = {told_in.get(story["source"], "en"), "en"}
            for field in ("title", "summary"):
                if isinstance(story.get(field), dict):
                    story[field] = {k: v for k, v in story[field].items() if k in keep}
        with open(bare / "catalog.json", "w", encoding="utf-8") as file:
            json.dump(catalog, file, ensure_ascii=False, separators=(",", ":"))
        (bare / ".complete").touch()
    compiled = root / f"{folder.name}.sqlite"
    if not compiled.exists():
        script = Path(PYTHON).parent / "clientocracy"
        partial = compiled.with_suffix(".partial")
        subprocess.run(
            [str(script), "build", str(folder), "-o", str(partial)],
            stdout=subprocess.DEVNULL,
            check=True,
            env=ENV,
        )
        partial.rename(compiled)
    return folder, bare, compiled


def worker(case: str, source: str) -> dict[str, Any]:
    """One measurement, in this (fresh) process: *case* of the corpus at *source*."""
    import clientocracy

    clientocracy.stories()  # the bundled corpus, which a folder's catalog builds on
    if case in ("parquet", "segments"):
        # pyarrow's own libraries (about 100 MB resident) are not the export's.
        import pyarrow.parquet  # noqa: F401
    out: dict[str, Any] = {"rss_mb_start": memory_mb().get("VmRSS")}
    wall, cpu = time.perf_counter(), time.process_time()
    corpus = clientocracy.load(source)
    out["load_s"] = round(time.perf_counter() - wall, 2)
    out["load_cpu_s"] = round(time.process_time() - cpu, 2)
    out["rss_mb_loaded"] = memory_mb().get("VmRSS")
    if case == "load":
        return out
    out["peak_reset"] = reset_peak()
    stories = corpus.stories()
    with tempfile.TemporaryDirectory(dir=HERE / ".corpora") as folder:
        target = Path(folder) / "out"
        wall, cpu = time.perf_counter(), time.process_time()
        if case == "jsonl":
            with open(target, "w", encoding="utf-8") as file:
                file.writelines(clientocracy.iter_export(stories, "jsonl"))
        else:
            clientocracy.write_parquet(stories, target, segments=case == "segments")
        out["export_s"] = round(time.perf_counter() - wall, 2)
        out["export_cpu_s"] = round(time.process_time() - cpu, 2)
        out["file_mb"] = round(target.stat().st_size / 2**20, 1)
    out["peak_mb"] = memory_mb().get("VmHWM")
    # The machine's load over the last minute: wall times on a shared machine
    # mean little without it.
    out["load_average"] = round(os.getloadavg()[0], 2)
    out["above_loaded_mb"] = round(out["peak_mb"] - out["rss_mb_loaded"], 1)
    return out


def _spawn(case: str, source: Path) -> dict[str, Any]:
    result = subprocess.run(
        [PYTHON, str(HERE / "run.py"), "--export-worker", case, str(source)],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    return dict(json.loads(result.stdout.splitlines()[-1]))


def exports(sizes: list[int], cases: tuple[str, ...] = CASES) -> list[dict[str, Any]]:
    """Every case at every size, each in a fresh process."""
    rows: list[dict[str, Any]] = []
    for n in sizes:
        folder, bare, compiled = corpora(n)
        with_translations = _spawn("load", folder)
        without = _spawn("load", bare)
        row: dict[str, Any] = {
            "stories": n,
            "load_with_translations": with_translations,
            "load_without_translations": without,
            "load_ratio_cpu": round(
                with_translations["load_cpu_s"] / max(without["load_cpu_s"], 1e-6), 2
            ),
            "exports": [],
        }
        for case in cases:
            for kind, source in (("folder", folder), ("compiled", compiled)):
                measured = _spawn(case, source)
                measured |= {"case": case, "from": kind}
                row["exports"].append(measured)
        rows.append(row)
    return rows


def report(rows: list[dict[str, Any]], table: Any) -> None:
    """Print the figures as tables (``table`` is run.py's)."""
    table(
        "Loading a catalog with translations beside the same without (fresh processes)",
        ["stories", "with: wall s", "with: CPU s", "without: wall s", "without: CPU s", "CPU x"],
        [
            [
                f"{r['stories']:,}",
                r["load_with_translations"]["load_s"],
                r["load_with_translations"]["load_cpu_s"],
                r["load_without_translations"]["load_s"],
                r["load_without_translations"]["load_cpu_s"],
                r["load_ratio_cpu"],
            ]
            for r in rows
        ],
    )
    table(
        "Exports of stories with translations "
        "(resident MB; loaded: with pyarrow imported; above: peak over loaded)",
        ["stories", "export", "from", "s", "CPU s", "file MB", "loaded MB", "peak MB", "above MB"],
        [
            [
                f"{r['stories']:,}",
                e["case"],
                e["from"],
                e["export_s"],
                e.get("export_cpu_s", ""),
                e["file_mb"],
                e["rss_mb_loaded"],
                e["peak_mb"],
                e["above_loaded_mb"],
            ]
            for r in rows
            for e in r["exports"]
        ],
    )
