"""Extraction cost as CPU instructions per article, counted by valgrind (cachegrind).

A timing moves with whatever else the machine is doing; an instruction count does not, so a change
to the extractor can be weighed on a busy machine, and two checkouts compared on the same articles.
Instructions are not seconds (a regex runs more of them per nanosecond than Python code), so the
articles/s figure still comes from `make bench`; this says which way a change moved the cost.

    python tests/benchmarks/instructions.py                       # this checkout, 100 articles
    python tests/benchmarks/instructions.py --base ../main        # and another checkout, same articles

The cost per article is the difference between extracting `--warm` + `--n` and `--warm` articles in
two runs, so start-up (imports, data files, spaCy) cancels out.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

import generate  # noqa: E402

CHILD = """
import itertools, sys
sys.path.insert(0, sys.argv[1])
from kg.articles import read_articles
from kg.extract import extract
for article in itertools.islice(read_articles([sys.argv[2]]), int(sys.argv[3])):
    extract(article)
"""
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(code: Path, corpus: Path, count: int) -> int:
    """Instructions executed by a Python that imports kg from `code` and extracts `count` articles."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           sys.executable, "-c", CHILD, str(code), str(corpus), str(count)],
                          capture_output=True, text=True, env=env)
    found = REFS.search(proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"valgrind run failed for {code}:\n{proc.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_article(code: Path, corpus: Path, warm: int, n: int) -> float:
    with ThreadPoolExecutor(2) as pool:
        small, big = pool.map(lambda k: instructions(code, corpus, k), (warm, warm + n))
    return (big - small) / n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100, help="articles measured (default 100)")
    ap.add_argument("--warm", type=int, default=5, help="articles in the start-up run (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--base", type=Path, help="another checkout to measure on the same articles")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("instructions.py needs valgrind (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate.write_corpus(args.warm + args.n, Path(tmp) / "corpus.jsonl", seed=args.seed)
        result = {"n": args.n, "this": per_article(ROOT, corpus, args.warm, args.n)}
        if args.base:
            result["base"] = per_article(args.base.resolve(), corpus, args.warm, args.n)
    print(f"extraction: {result['this'] / 1e6:.2f} M instructions per article ({ROOT})")
    if "base" in result:
        print(f"base:       {result['base'] / 1e6:.2f} M instructions per article ({args.base})")
        print(f"ratio this/base: {result['this'] / result['base']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
