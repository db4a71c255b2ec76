"""The `kg` command: extract, load, stats, documents, find, export, viz, query, remove, eval, neo4j.

Exit status: 0 done; 1 some inputs failed or were not found (a file that is not a letter,
a document or entity that is not in the store, nothing to score); 2 a usage or
configuration error (bad option, no store at the path given, Neo4j unreachable)."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kg import __version__

OK, FAILED, USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in the command line or the configuration: one line, exit status 2."""


def _store(args):
    """The store a command works on: Neo4j with --neo4j, else the embedded store. Only
    `kg load` creates an embedded store; the other commands refuse a path that holds none."""
    if getattr(args, "neo4j", False):
        from kg.store.neo4j_store import Neo4jStore
        return Neo4jStore()
    from kg.store import EmbeddedStore
    path = Path(args.store or os.environ.get("KG_STORE") or "kg-data")
    if args.command != "load" and not path.is_dir():
        where = "--store" if args.store else "$KG_STORE" if os.environ.get("KG_STORE") else "the default ./kg-data"
        raise UsageError(f"{path}: no store there ({where}); `kg load --store {path} LETTERS…` creates one")
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
    from kg.store.neo4j_store import LetterTooBig
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
    except LetterTooBig as e:        # the batches before it are committed; the rest is not tried
        _err(f"{e}; {len(result.loaded) + len(result.unchanged)} document(s) kept, the rest not loaded")
        return 1
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
          f"(extract and resolve {rep.extract_s:.1f}s, import {rep.import_s:.1f}s: CSV {rep.csv_s:.1f}s, "
          f"importer {rep.importer_s:.1f}s; indexes {rep.schema_s:.1f}s)")
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
    if args.focus and args.document:
        raise UsageError("--focus and --document are two different views: give one of them")
    if (args.focus or args.document) and args.view != "all":
        raise UsageError(f"--view {args.view} is a view of the whole store: drop --focus/--document, or --view")
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
        return FAILED
    g, note = viz.limit(g, args.max_nodes)
    viz.write_html(g, Path(args.output), title=f"kg — {what}", note=note, documents=viz.document_index(full))
    print(f"wrote {args.output} ({what}: {g.number_of_nodes()} nodes, {g.number_of_edges()} relationships)")
    if note:
        print(f"note: {note}")
    return OK


def _table(cols: list[str], rows: list[list], args) -> None:
    from kg import query as q
    print(q.format_rows(cols, rows, args.format, wide=getattr(args, "wide", False), bom=getattr(args, "bom", False)))


def cmd_documents(args) -> int:
    """The loaded documents: id, title, date, replying body, source file."""
    cols = ["id", "title", "date", "replier", "source"]
    if args.neo4j:
        from kg import query as q
        _, rows = q.run_cypher(_store(args), (
            "MATCH (d:Document) OPTIONAL MATCH (a)-[:ISSUED]->(d) "
            "WITH d, collect(a.name) AS by "
            "RETURN d.key AS id, d.name AS title, d.date AS date, by AS replier, d.source AS source ORDER BY id"), {})
        rows = [[r[0], r[1], r[2], "、".join(sorted(r[3])), r[4]] for r in rows]
    else:
        from kg.viz import document_index
        store = _store(args)
        g = _graph(store)
        index = document_index(g)
        sources = {v: d.get("properties", {}).get("source", "") for v, d in g.nodes(data=True) if d.get("label") == "Document"}
        known = getattr(store, "documents", {}) or {}
        ids = sorted(set(index) | set(known))
        rows = []
        for i in ids:
            m = index.get(i, {})
            src = (known.get(i) or {}).get("source") or sources.get(f"Document:{i}", "")
            rows.append([i, m.get("title", ""), m.get("date", ""), m.get("replier", ""), src])
    _table(cols, rows, args)
    return OK


def cmd_find(args) -> int:
    from kg import find
    if args.neo4j:
        hits = find.find_neo4j(_store(args), args.text, args.limit)
    else:
        hits = find.find(_graph(_store(args)), args.text, args.limit, set(args.label) if args.label else None)
    if args.label and args.neo4j:
        hits = [h for h in hits if h.label in set(args.label)]
    _table(["name", "label", "place", "documents", "matched", "id"],
           [[h.name, h.label, h.place, h.documents, h.matched if h.matched != h.name else "", h.id] for h in hits], args)
    return OK if hits else FAILED


def _resolve_names(nq, params: dict, args, graph_of) -> dict:
    """Say which entity each name parameter resolved to, and refuse an ambiguous short form
    (省政协: two provinces' committees) with its candidates rather than answering for both."""
    from kg import find
    out = dict(params)
    store = _store(args)
    for k, v in params.items():
        if k not in find.NAME_PARAMS or not v:
            continue
        if not args.neo4j and hasattr(store, "query") and hasattr(store, "find"):
            # a store that answers named queries from its own indexes: ask its index, not the whole graph
            ids = store.find(v)
            shown = [f"{i.split(':', 1)[-1]} ({i.split(':', 1)[0]})" for i in ids]      # ids are LABEL:KEY
            if len(ids) > 1:
                raise UsageError(f"--param {k}: {v!r} names {len(ids)} entities: {'; '.join(shown[:10])}. Give the full name")
            if len(ids) == 1 and ids[0].split(":", 1)[-1] != v:
                _err(f"--param {k}: {v} → {shown[0]}")
            if not ids:
                _err(f"--param {k}: no entity is named {v!r}; `kg find {v}` searches by part of a name")
            continue
        hits = find.find_neo4j(store, v, 50) if args.neo4j else find.find(graph_of(), v, 50)
        try:
            hit = find.resolve(hits, v)
        except find.Ambiguous as e:
            raise UsageError(f"--param {k}: {e}") from None
        if hit is None:
            near = "; ".join(f"{h.name} ({h.label})" for h in hits[:5])
            _err(f"--param {k}: no entity is named {v!r}" + (f"; names containing it: {near}" if near else ""))
        else:
            if hit.name != v:
                _err(f"--param {k}: {v} → {hit.name} ({hit.label}{', ' + hit.place if hit.place else ''})")
            out[k] = hit.name
    return out


def cmd_query(args) -> int:
    from kg import query as q
    try:
        if args.list:
            for nq in q.library().values():
                params = ", ".join(k + (f"={v}" if v else "") for k, v in nq.params.items())
                print(f"{nq.name}({params})\n    {nq.description}")
                if nq.columns:
                    print(f"    columns: {', '.join(nq.columns)}")
            return OK
        given = dict(_kv(p) for p in args.param)
        note = None
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
            cache: dict = {}
            def graph_of():
                if "g" not in cache:
                    cache["g"] = _graph(_store(args))
                return cache["g"]
            params = _resolve_names(nq, params, args, graph_of)
            if args.neo4j:
                cols, rows = q.run_cypher(_store(args), nq.cypher, params)
            else:      # answered from the embedded store's indexes (kg/store/queries.py)
                cols, rows = _store(args).query(nq.name, params)
            note = q.page_note(nq, params, len(rows))
        else:
            raise q.QueryError("name a query, or give --cypher/--sparql, or --list")
    except q.QueryError as e:
        _err(_first_line(e))        # a syntax error's first line says what and where; the caret drawing goes
        return USAGE
    _table(cols, rows, args)
    if note:
        print(f"kg: {note}", file=sys.stderr)      # on standard error: the rows stay clean to pipe
    return OK


def _kv(s: str) -> tuple[str, str]:
    k, eq, v = s.partition("=")
    if not eq:
        raise UsageError(f"--param takes NAME=VALUE, not {s!r}")
    return k.strip(), v


def cmd_eval(args) -> int:
    from kg.evaluate import evaluate
    for p in (args.docs, args.gold):
        if not Path(p).is_dir():
            raise UsageError(f"{p}: not a folder")
    stems = {p.stem for p in Path(args.docs).iterdir() if p.is_file()}
    gold = sorted(Path(args.gold).glob("*.json"))
    if not any(g.stem in stems for g in gold):
        _err(f"nothing to score: none of the {len(gold)} gold file(s) in {args.gold} (NAME.json) "
             f"has a document NAME.* in {args.docs}")
        return FAILED
    evaluate(Path(args.docs), Path(args.gold), verbose=args.verbose)
    return OK


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
                return FAILED
    except ServerError as e:
        _err(str(e))
        return USAGE
    return OK


class _Help(argparse.RawDescriptionHelpFormatter):
    pass


def build_parser() -> argparse.ArgumentParser:
    from kg.export import FORMATS
    ap = argparse.ArgumentParser(
        prog="kg", formatter_class=_Help,
        description="A knowledge graph of Chinese government reply letters: load letters, then query, "
                    "find, export or draw the graph.",
        epilog="exit status: 0 done, 1 some inputs failed or were not found, 2 usage or configuration error\n"
               "example: kg load corpus/ && kg find 科技厅 && kg viz -o graph.html")
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def cmd(name, help, example):
        return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                              epilog=f"example:\n  {example}", formatter_class=_Help)

    def with_store(p):
        p.add_argument("--store", metavar="DIR",
                       help="embedded store folder (default $KG_STORE, else ./kg-data), e.g. --store ~/kg-data")
        p.add_argument("--neo4j", action="store_true",
                       help="use Neo4j instead, configured by NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, "
                            "NEO4J_DATABASE, e.g. NEO4J_URI=bolt://127.0.0.1:7687 kg stats --neo4j")
        return p

    def with_table(p, formats=("table", "csv", "json")):
        p.add_argument("--format", choices=formats, default="table",
                       help="table (cells cut to the terminal width), csv (lists as JSON) or json, e.g. --format csv")
        p.add_argument("--wide", action="store_true", help="table cells whole, not cut to the terminal, e.g. --wide")
        p.add_argument("--bom", action="store_true",
                       help="start CSV with a byte-order mark, for Excel, e.g. --format csv --bom > out.csv")
        return p

    p = cmd("extract", "print the graph of documents as JSON, touching no store",
            "kg extract corpus/jilin-kjt-2022-L37.txt > graph.json")
    p.add_argument("files", nargs="+", metavar="FILE", help="letters: files, folders or globs, e.g. corpus/ letters/*.pdf")
    p.add_argument("--format", choices=["json"], default="json", help="json (the only one), e.g. --format json")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list the files in folders that were skipped, e.g. -v")
    p.set_defaults(func=cmd_extract)

    p = with_store(cmd("load", "load letters (files or folders) into the store", "kg load corpus/ more-letters/"))
    p.add_argument("paths", nargs="+", metavar="PATH", help="letters: files, folders (read recursively) or globs, e.g. corpus/")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="extract on N processes (default: every core from 200 letters up), e.g. --jobs 2")
    p.add_argument("--batch", type=int, default=500, metavar="B",
                   help="letters per store transaction (default 500), e.g. --batch 100")
    p.add_argument("--bulk", action="store_true",
                   help="with --neo4j: a first load into the empty database of `kg neo4j start` by Neo4j's "
                        "offline importer, e.g. kg load --neo4j --bulk letters/")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="extract on a Dask cluster (scheduler address, or 'local' for --jobs local workers), "
                        "e.g. --dask tcp://10.0.0.5:8786")
    p.add_argument("-v", "--verbose", action="store_true", help="list the files in folders that were skipped, e.g. -v")
    p.set_defaults(func=cmd_load)

    p = with_store(cmd("remove", "retract a document's facts from the store", "kg remove jilin-kjt-2022-L37"))
    p.add_argument("doc_ids", nargs="+", metavar="DOC_ID",
                   help="document ids (the file name without extension; `kg documents` lists them), e.g. jilin-kjt-2022-L37")
    p.set_defaults(func=cmd_remove)

    p = with_store(cmd("stats", "counts by label and by relationship type", "kg stats --format json"))
    p.add_argument("--format", choices=["table", "json"], default="table", help="table or json, e.g. --format json")
    p.set_defaults(func=cmd_stats)

    p = with_table(with_store(cmd("documents", "list the loaded documents: id, title, date, replying body, source file",
                                  "kg documents --format csv --bom > documents.csv")))
    p.set_defaults(func=cmd_documents)

    p = with_table(with_store(cmd("find", "find entities by part of a name or alias, best match first",
                                  "kg find 科技厅 --label Agency")))
    p.add_argument("text", metavar="TEXT", help="part of a name or alias, e.g. 魏志 or 省政协")
    p.add_argument("--label", action="append", metavar="LABEL",
                   help="only this label (repeatable), e.g. --label Agency --label Institution")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20), e.g. --limit 50")
    p.set_defaults(func=cmd_find)

    p = with_store(cmd("export", "write the store as json, graphml (Gephi), csv (Excel, neo4j-admin import), "
                                 "ttl, jsonld or nt", "kg export --format graphml -o kg.graphml"))
    p.add_argument("--format", choices=FORMATS, required=True, help=f"one of {', '.join(FORMATS)}, e.g. --format ttl")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="file to write, - for standard output, a folder for csv, e.g. -o kg.ttl, -o -, -o csv-out/")
    p.set_defaults(func=cmd_export)

    p = with_store(cmd("viz", "write an interactive HTML graph that opens offline",
                       "kg viz --focus 省科技厅 --depth 2 -o ego.html"))
    p.add_argument("-o", "--output", default="graph.html", metavar="FILE", help="the page (default graph.html), e.g. -o ego.html")
    view = p.add_mutually_exclusive_group()
    view.add_argument("--focus", metavar="NAME", help="the neighbourhood of an entity (name or alias), e.g. --focus 省科技厅")
    view.add_argument("--document", metavar="DOC_ID", help="one document's graph, e.g. --document jilin-kjt-2022-L37")
    p.add_argument("--depth", type=int, default=1, metavar="N", help="steps out from --focus (default 1), e.g. --depth 2")
    p.add_argument("--view", choices=["all", "co-issuance"], default="all",
                   help="all, or co-issuance: bodies linked by the policies they issued together, e.g. --view co-issuance")
    p.add_argument("--max-nodes", type=int, default=1500, metavar="N",
                   help="keep the N best-connected nodes beyond this (default 1500), e.g. --max-nodes 5000")
    p.set_defaults(func=cmd_viz)

    p = with_table(with_store(cmd("query", "run a named query, or read-only Cypher or SPARQL",
                                  "kg query members --param of=科技成果转移转化共同体 --format csv")))
    p.add_argument("name", nargs="?", metavar="NAME", help="a named query from queries/ (kg query --list), e.g. co_issuers")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the query (repeatable), e.g. --param policy=吉林省技术市场条例")
    p.add_argument("--cypher", metavar="QUERY", help="read-only Cypher (with --neo4j), e.g. --cypher 'MATCH (a:Agency) RETURN a.name LIMIT 5'")
    p.add_argument("--sparql", metavar="QUERY", help="read-only SPARQL (either store), e.g. --sparql 'SELECT ?s WHERE { ?s a ?c } LIMIT 5'")
    p.add_argument("--list", action="store_true", help="list the named queries, their parameters and columns, e.g. --list")
    p.set_defaults(func=cmd_query)

    p = cmd("eval", "score extraction of a folder of documents against a folder of gold graphs", "kg eval DOCS/ GOLD/ -v")
    p.add_argument("docs", metavar="DOCS", help="folder of letters NAME.txt …, e.g. ../shared/corpus")
    p.add_argument("gold", metavar="GOLD", help="folder of gold graphs NAME.json, e.g. ../shared/gold")
    p.add_argument("-v", "--verbose", action="store_true", help="list every miss and false positive, e.g. -v")
    p.set_defaults(func=cmd_eval)

    p = cmd("neo4j", "run a local Neo4j Community server (needs Java 17 and Maven)", "kg neo4j start")
    p.add_argument("action", choices=["start", "stop", "status", "install"],
                   help="install (fetch once), start, stop, or status (exit 1 when not running), e.g. start")
    p.add_argument("--allow-root", action="store_true",
                   help="start even as root (or KG_NEO4J_ALLOW_ROOT=1); by default root is refused, e.g. --allow-root")
    p.set_defaults(func=cmd_neo4j)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as e:
        _err(str(e))
        return USAGE
    except BrokenPipeError:
        # the reader went away (kg … | head): stop quietly, and keep Python from complaining at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return OK
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except (OSError, ValueError) as e:
        _err(str(e))
        return USAGE
    except Exception as e:  # the driver's and the SPARQL parser's errors: what and where, one line
        module = type(e).__module__
        if module.startswith("neo4j"):
            uri = os.environ.get('NEO4J_URI', 'bolt://127.0.0.1:7687')
            if type(e).__name__ == "AuthError":
                _err(f"Neo4j ({uri}) refused the credentials: set NEO4J_USERNAME and NEO4J_PASSWORD "
                     "(for the server of `kg neo4j start`, leave NEO4J_PASSWORD unset: `kg neo4j status` "
                     "shows its password file)")
                return USAGE
            _err(f"Neo4j ({uri}): {_first_line(e)}")
            return USAGE
        if module.startswith("pyparsing") or module.startswith("rdflib.plugins.sparql"):
            _err(f"SPARQL syntax error: {_first_line(e)}")
            return USAGE
        raise


def _first_line(e: Exception) -> str:
    """An error as one line: its first, which says what and where (line, column)."""
    text = str(getattr(e, "message", None) or e).strip()
    return text.splitlines()[0] if text else type(e).__name__


if __name__ == "__main__":
    sys.exit(main())
