"""Extraction snapshots: the full output of `extract` for a corpus as canonical JSON, so a speed
change can be checked to change nothing (`--check` exits 1 and names the first differences).

    python tests/benchmarks/snapshot.py --out /tmp/before.json              # seeds, devset, heldout, 300 generated
    python tests/benchmarks/snapshot.py --check /tmp/before.json            # after an optimisation: zero diffs
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

CORPORA = ["seeds", "tests/devset/articles", "tests/heldout/articles"]


def canonical(obj):
    """JSON-ready, order-independent where the model holds sets."""
    if dataclasses.is_dataclass(obj):
        return {f.name: canonical(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): canonical(v) for k, v in sorted(obj.items())}
    if isinstance(obj, (set, frozenset)):
        return sorted((canonical(x) for x in obj), key=lambda x: json.dumps(x, sort_keys=True))
    if isinstance(obj, (list, tuple)):
        return [canonical(x) for x in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def snapshot(paths: list[str]) -> dict:
    from kg.articles import Article, read_articles
    from kg.extract import extract
    out = {}
    for item in read_articles(paths):
        if isinstance(item, Article):
            ex = canonical(extract(item))
            ex.pop("text")
            out[item.source] = ex
    return out


def corpus_paths(generated: int, seed: int, tmp: Path) -> list[str]:
    paths = [str(ROOT / p) for p in CORPORA if (ROOT / p).exists()]
    if generated:
        from generate import write_corpus
        paths.append(str(write_corpus(generated, tmp / "generated.jsonl", seed)))
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="write the snapshot here")
    ap.add_argument("--check", help="compare with this earlier snapshot")
    ap.add_argument("--generated", type=int, default=300, help="generated articles to add (default 300)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        snap = snapshot(corpus_paths(args.generated, args.seed, Path(tmp)))
    # sources of generated articles name the temp file: key them by what follows it
    snap = {k.split("generated.jsonl", 1)[-1] if "generated.jsonl" in k else k.replace(str(ROOT) + "/", ""): v
            for k, v in snap.items()}
    if args.out:
        Path(args.out).write_text(json.dumps(snap, sort_keys=True, indent=0, ensure_ascii=False))
        print(f"{len(snap)} articles written to {args.out}")
    if args.check:
        old = json.loads(Path(args.check).read_text())
        bad = [k for k in sorted(set(old) | set(snap)) if old.get(k) != snap.get(k)]
        print(f"{len(snap)} articles, {len(bad)} differ from {args.check}")
        for k in bad[:10]:
            a, b = old.get(k) or {}, snap.get(k) or {}
            fields = [f for f in sorted(set(a) | set(b)) if a.get(f) != b.get(f)]
            print(f"  {k}: {', '.join(fields)}")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
