"""Speed and memory of the pipeline on the shipped corpus.

    .venv/bin/python benchmarks/run.py [--repeat N] [FILES...]

Prints, per document, characters and the median wall time of a full
analysis (read, normalize, structure, extract) over N runs, then the
throughput, the one-off start-up cost (imports and rule loading) and the
process's peak resident memory. Numbers go in the README; no test asserts
on them.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="documents to analyse (default: corpus/*.txt)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per document; the median is reported")
    args = ap.parse_args()
    files = [Path(f) for f in args.files] or sorted((ROOT / "corpus").glob("*.txt"))

    t0 = time.perf_counter()
    from policyscan.analyzer import Analyzer

    analyzer = Analyzer()
    raws = [analyzer.read(str(f)) for f in files]
    analyzer.analyze(raws[0])  # warm caches (jieba dictionary, compiled patterns)
    startup = time.perf_counter() - t0

    total_chars, total_time = 0, 0.0
    print(f"{'document':52} {'chars':>8} {'median ms':>10} {'targets':>8} {'tasks':>6}")
    for f, raw in zip(files, raws):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            report = analyzer.analyze(raw)
            times.append(time.perf_counter() - t)
        median = statistics.median(times)
        total_chars += len(raw.text)
        total_time += median
        print(f"{f.name[:52]:52} {len(raw.text):8d} {median * 1000:10.1f} {len(report.targets):8d} {len(report.tasks):6d}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nthroughput: {total_chars / total_time:,.0f} characters/s over {len(files)} documents")
    print(f"start-up (imports, rules, first document): {startup:.2f} s")
    print(f"peak resident memory: {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
