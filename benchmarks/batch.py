"""Memory and throughput of ``policyscan batch`` as the folder grows.

    .venv/bin/python benchmarks/batch.py [--documents 50 1000] [--workers 2] [--document FILE]

For each count N, writes N distinct copies of one document (each with its
own closing line, so none is a duplicate) into a temporary folder, runs
``policyscan batch DIR --out OUT --db DB --workers W`` and samples, every
0.2 s, the resident memory of the batch process and its workers together
(Linux /proc). Prints N, the peak, the wall time and documents per second.
Memory that stays flat as N grows is what the batch promises; numbers go
in the README, no test asserts on them.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICYSCAN = Path(sys.executable).with_name("policyscan")


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB."""
    total = 0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{p}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, nargs="+", default=[50, 1000], help="folder sizes to run")
    ap.add_argument("--workers", type=int, default=2, help="batch --workers")
    ap.add_argument("--document", default=str(ROOT / "corpus" / "hubei-2020-quality-province-opinions.txt"), help="the document to copy")
    args = ap.parse_args()
    text = Path(args.document).read_text(encoding="utf-8")
    print(f"{'documents':>9} {'peak MiB':>9} {'seconds':>8} {'documents/s':>12}")
    for n in args.documents:
        with tempfile.TemporaryDirectory() as tmp:
            docs = Path(tmp) / "docs"
            for i in range(n):
                path = docs / f"{i // 100:04d}" / f"doc{i:06d}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text + f"\n附件编号:{i}\n", encoding="utf-8")
            cmd = [str(POLICYSCAN), "batch", str(docs), "--out", f"{tmp}/out", "--db", f"{tmp}/db.sqlite",
                   "--workers", str(args.workers)]
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, tree_rss_kib(proc.pid))
                time.sleep(0.2)
            elapsed = time.perf_counter() - start
            if proc.returncode:
                print(f"batch exited {proc.returncode}", file=sys.stderr)
                return 1
            print(f"{n:>9} {peak / 1024:>9.0f} {elapsed:>8.1f} {n / elapsed:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
