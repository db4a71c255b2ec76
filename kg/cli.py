"""The `kg` command."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kg import __version__


def _store_dir(args) -> Path:
    return Path(args.store or os.environ.get("KG_STORE") or "kg-data")


def cmd_extract(args) -> int:
    from kg.pipeline import extract_paths
    graphs, failed = extract_paths(args.files)
    out = {"nodes": [], "relationships": []}
    for g in graphs:
        d = g.as_dict()
        out["nodes"] += d["nodes"]
        out["relationships"] += d["relationships"]
    if args.format == "json":
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graph of Chinese government reply letters.")
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="print the graph of documents, touching no store")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["json"], default="json")
    p.set_defaults(func=cmd_extract)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
