"""The `kg` command: extract, load, stats, export, viz, remove."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kg import __version__


def _store(args):
    """The store a command works on: Neo4j with --neo4j, else the embedded store."""
    if getattr(args, "neo4j", False):
        from kg.store.neo4j_store import Neo4jStore
        return Neo4jStore()
    from kg.store import EmbeddedStore
    path = Path(args.store or os.environ.get("KG_STORE") or "kg-data")
    return EmbeddedStore(path)


def _graph(store):
    return store.to_networkx() if hasattr(store, "to_networkx") else store.g


def _err(msg: str) -> None:
    print(f"kg: {msg}", file=sys.stderr)


def cmd_extract(args) -> int:
    from kg.pipeline import extract_output, stream_graphs
    failed: list = []
    skipped: list = []
    graphs = stream_graphs(args.files, failed, progress=False, skipped=skipped)
    n = extract_output(graphs, sys.stdout)
    _skipped_summary(skipped, args.verbose)
    return 1 if failed or not n else 0


def _skipped_summary(skipped: list, verbose: bool) -> None:
    """Files in folders that were not letters: counted, and listed with --verbose."""
    if not skipped:
        return
    if verbose:
        for p, why in skipped:
            print(f"kg: skipped {p}: {why}", file=sys.stderr)
    else:
        print(f"kg: skipped {len(skipped)} file(s) in folders: not letters, links to folders, or found twice "
              f"(--verbose lists them)", file=sys.stderr)


def cmd_load(args) -> int:
    import loaders
    from kg.pipeline import batched, stream_graphs
    from kg.store.embedded import LoadResult
    from kg.store.identity import DocumentIds
    if args.bulk:
        return _load_bulk(args)
    store = _store(args)
    ids = DocumentIds(args.paths)      # a/index and b/index, not two documents "index"
    if args.neo4j:
        store.apply_schema()
    failed: list = []
    skipped: list = []
    result = LoadResult()
    # letters the store already has (same id, same content hash) are not extracted again; the id is
    # the store's (a/index, b/index), which the loader cannot know alone
    known = getattr(store, "known_hashes", None)
    graphs = stream_graphs(args.paths, failed, jobs=args.jobs, known=known, unchanged=result.unchanged, skipped=skipped,
                           dask=args.dask, doc_ids=lambda p: ids.id_for(str(p), loaders.doc_id_for(p)))
    # documents go to the store a batch at a time as they are extracted: memory stays flat;
    # each batch is one transaction, so an interruption keeps every batch committed before it
    try:
        for batch in batched(graphs, args.batch):
            store.load([ids.apply(g) for g in batch], result)
        store.save()
    except KeyboardInterrupt:
        kept = len(result.loaded) + len(result.unchanged)
        print(f"\ninterrupted: {kept} document(s) kept in {store.path} ({len(result.loaded)} loaded by this run); "
              f"run the same command again to load the rest", file=sys.stderr)
        return 130
    _skipped_summary(skipped, args.verbose)
    dup = f", {len(result.duplicates)} duplicate(s)" if result.duplicates else ""
    print(f"loaded {len(result.loaded)} document(s) ({len(result.replaced)} replaced), "
          f"{len(result.unchanged)} unchanged{dup}, {len(failed)} failed; "
          f"+{result.nodes_added} nodes, +{result.relationships_added} relationships → {store.path}")
    for doc, same in result.duplicates[:20]:
        print(f"duplicate: {doc} has the same content as {same} (counted once)", file=sys.stderr)
    if failed:
        print(f"failed: {', '.join(str(p) for p in failed[:20])}" + (" …" if len(failed) > 20 else ""),
              file=sys.stderr)
    return 1 if failed else 0


def _load_bulk(args) -> int:
    from kg.server import ServerError
    from kg.store.bulk import BulkError, bulk_load
    if not args.neo4j:
        _err("--bulk loads into Neo4j: add --neo4j")
        return 2
    failed: list = []
    try:
        rep = bulk_load(args.paths, failed, jobs=args.jobs, batch_size=args.batch, dask=args.dask)
    except (BulkError, ServerError) as e:
        _err(str(e))
        return 2
    r = rep.result
    print(f"loaded {len(r.loaded)} document(s) in bulk, {len(r.unchanged)} unchanged, {len(failed)} failed; "
          f"+{r.nodes_added} nodes, +{r.relationships_added} relationships → {os.environ.get('NEO4J_URI', 'bolt://127.0.0.1:7687')} "
          f"(extract and resolve {rep.extract_s:.1f}s, import {rep.import_s:.1f}s, indexes {rep.schema_s:.1f}s)")
    if failed:
        print(f"failed: {', '.join(str(p) for p in failed[:20])}" + (" …" if len(failed) > 20 else ""),
              file=sys.stderr)
    return 1 if failed else 0


def cmd_remove(args) -> int:
    store = _store(args)
    missing = [d for d in args.doc_ids if not store.remove(d)]
    store.save()
    for d in missing:
        _err(f"{d}: no such document in {store.path}")
    print(f"removed {len(args.doc_ids) - len(missing)} document(s)")
    return 1 if missing else 0


def print_stats(stats: dict, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return
    print(f"documents      {stats['documents']}")
    print(f"nodes          {stats['nodes']}")
    for k, v in stats["labels"].items():
        print(f"  {k:<14}{v}")
    print(f"relationships  {stats['relationships']}")
    for k, v in stats["types"].items():
        print(f"  {k:<16}{v}")


def cmd_stats(args) -> int:
    print_stats(_store(args).stats(), args.format)
    return 0


def cmd_export(args) -> int:
    from kg.export import export
    store = _store(args)
    g = _graph(store)
    export(g, args.format, args.output)
    where = "standard output" if args.output == "-" else args.output
    print(f"wrote {where} ({args.format}: {g.number_of_nodes()} nodes, {g.number_of_edges()} relationships)",
          file=sys.stderr if args.output == "-" else sys.stdout)
    return 0


def cmd_viz(args) -> int:
    from kg import viz
    store = _store(args)
    full = g = _graph(store)
    try:
        if args.focus:
            g, what = viz.focus_view(g, args.focus, args.depth)
        elif args.document:
            g, what = viz.document_view(g, args.document)
        elif args.view == "co-issuance":
            g, what = viz.co_issuance_view(g)
        else:
            what = "whole store"
    except viz.ViewError as e:
        _err(str(e))
        return 1
    g, note = viz.limit(g, args.max_nodes)
    viz.write_html(g, Path(args.output), title=f"kg — {what}", note=note, documents=viz.document_index(full))
    print(f"wrote {args.output} ({what}: {g.number_of_nodes()} nodes, {g.number_of_edges()} relationships)")
    if note:
        print(f"note: {note}")
    return 0


def cmd_query(args) -> int:
    from kg import query as q
    try:
        if args.list:
            for nq in q.library().values():
                params = ", ".join(k + (f"={v}" if v else "") for k, v in nq.params.items())
                print(f"{nq.name}({params})\n    {nq.description}")
            return 0
        given = dict(_kv(p) for p in args.param)
        if args.cypher:
            if not args.neo4j:
                raise q.QueryError("--cypher runs on Neo4j: add --neo4j (the embedded store answers --sparql)")
            cols, rows = q.run_cypher(_store(args), args.cypher, given)
        elif args.sparql:
            from kg.rdf import to_rdf
            q.check_read_only_sparql(args.sparql)       # before the store is read at all
            cols, rows = q.run_sparql(to_rdf(_graph(_store(args))), args.sparql, given)
        elif args.name:
            lib = q.library()
            if args.name not in lib:
                raise q.QueryError(f"no query named {args.name!r}; `kg query --list` shows them")
            nq = lib[args.name]
            params = nq.bind(given)
            if args.neo4j:
                cols, rows = q.run_cypher(_store(args), nq.cypher, params)
            else:      # answered from the embedded store's indexes (kg/store/queries.py)
                cols, rows = _store(args).query(nq.name, params)
        else:
            raise q.QueryError("name a query, or give --cypher/--sparql, or --list")
    except q.QueryError as e:
        _err(str(e))
        return 2
    print(q.format_rows(cols, rows, args.format))
    return 0


def _kv(s: str) -> tuple[str, str]:
    k, eq, v = s.partition("=")
    if not eq:
        raise SystemExit(f"kg: --param takes NAME=VALUE, not {s!r}")
    return k.strip(), v


def cmd_eval(args) -> int:
    from kg.evaluate import evaluate
    for p in (args.docs, args.gold):
        if not Path(p).is_dir():
            _err(f"{p}: not a folder")
            return 2
    evaluate(Path(args.docs), Path(args.gold), verbose=args.verbose)
    return 0


def cmd_neo4j(args) -> int:
    from kg.server import USER, LocalServer, ServerError
    server = LocalServer.from_env()
    try:
        if args.action == "install":
            server.install()
            print(f"Neo4j installed in {server.cache}")
        elif args.action == "start":
            was = server.running()
            uri = server.start(allow_root=args.allow_root or None)
            print(uri if not was else f"{uri} (already running)")
            print(f"user {USER}, password in {server.password_file}", file=sys.stderr)
        elif args.action == "stop":
            print("stopped" if server.stop() else "not running")
        else:
            if server.running():
                print(f"running {server.uri} pid {server.pid()} data {server.home} "
                      f"user {USER} password-file {server.password_file}")
            else:
                print(f"not running (data {server.home}, password-file {server.password_file})")
                return 3
    except ServerError as e:
        _err(str(e))
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    from kg.export import FORMATS
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graph of Chinese government reply letters.")
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    def with_store(p):
        p.add_argument("--store", metavar="DIR", help="embedded store folder (default $KG_STORE or ./kg-data)")
        p.add_argument("--neo4j", action="store_true",
                       help="use Neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE)")
        return p

    p = sub.add_parser("extract", help="print the graph of documents as JSON, touching no store")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("-v", "--verbose", action="store_true", help="list the files in folders that were skipped")
    p.set_defaults(func=cmd_extract)
    p = with_store(sub.add_parser("load", help="load documents (files or folders) into the store"))
    p.add_argument("paths", nargs="+")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="extract on N processes (default: every core when there are 200 documents or more)")
    p.add_argument("--batch", type=int, default=500, metavar="B",
                   help="documents per store transaction (default 500)")
    p.add_argument("--bulk", action="store_true",
                   help="with --neo4j: a first load into the empty database of `kg neo4j start` by Neo4j's offline importer")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="extract on a Dask cluster (scheduler address, or 'local' for --jobs local workers)")
    p.add_argument("-v", "--verbose", action="store_true", help="list the files in folders that were skipped")
    p.set_defaults(func=cmd_load)
    p = with_store(sub.add_parser("remove", help="retract a document's facts from the store"))
    p.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    p.set_defaults(func=cmd_remove)
    p = with_store(sub.add_parser("stats", help="counts by label and by relationship type"))
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_stats)
    p = with_store(sub.add_parser("export", help="write the store as json, graphml, ttl, jsonld or nt"))
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_export)
    p = with_store(sub.add_parser("viz", help="write an interactive HTML graph that opens offline"))
    p.add_argument("-o", "--output", default="graph.html")
    p.add_argument("--focus", metavar="NAME", help="the ego network of an entity (name or alias)")
    p.add_argument("--depth", type=int, default=1, help="steps out from --focus (default 1)")
    p.add_argument("--document", metavar="DOC_ID", help="one document's graph")
    p.add_argument("--view", choices=["all", "co-issuance"], default="all",
                   help="co-issuance: bodies linked by the policies they issued together")
    p.add_argument("--max-nodes", type=int, default=1500, help="keep the best-connected nodes beyond this (default 1500)")
    p.set_defaults(func=cmd_viz)
    p = with_store(sub.add_parser("query", help="run a named query, or read-only Cypher or SPARQL"))
    p.add_argument("name", nargs="?", help="a named query from queries/ (see --list)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--cypher", metavar="QUERY", help="read-only Cypher (with --neo4j)")
    p.add_argument("--sparql", metavar="QUERY", help="read-only SPARQL (either store)")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_query)
    p = sub.add_parser("eval", help="score extraction of a folder of documents against a folder of gold graphs")
    p.add_argument("docs", metavar="DOCS")
    p.add_argument("gold", metavar="GOLD")
    p.add_argument("-v", "--verbose", action="store_true", help="list every miss and false positive")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("neo4j", help="run a local Neo4j Community server (needs Java 17 and Maven)")
    p.add_argument("action", choices=["start", "stop", "status", "install"])
    p.add_argument("--allow-root", action="store_true",
                   help="start even as root (or KG_NEO4J_ALLOW_ROOT=1); by default root is refused")
    p.set_defaults(func=cmd_neo4j)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (OSError, ValueError) as e:
        _err(str(e))
        return 2
    except Exception as e:  # the driver's errors: say what and where, without a traceback
        if type(e).__module__.startswith("neo4j"):
            uri = os.environ.get('NEO4J_URI', 'bolt://127.0.0.1:7687')
            if type(e).__name__ == "AuthError":
                _err(f"Neo4j ({uri}) refused the credentials: set NEO4J_USERNAME and NEO4J_PASSWORD "
                     "(for the server of `kg neo4j start`, leave NEO4J_PASSWORD unset: `kg neo4j status` "
                     "shows its password file)")
                return 2
            _err(f"Neo4j ({uri}): {e}")
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
