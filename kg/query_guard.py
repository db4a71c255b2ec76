"""What `kg query` lets through: reads of the graph, nothing else.

Decided by the engines themselves, not by matching words in the text (comments, backquotes
and string escapes defeat any regex):

- Cypher: Neo4j plans the query (`EXPLAIN`, in a READ session, nothing runs) and says what it
  is: the summary's query type must be 'r' (read only), and the plan may hold no operator that
  reaches outside the graph or into the server (LOAD CSV, CALL { … } IN TRANSACTIONS, SHOW
  SETTINGS/TRANSACTIONS/…, TERMINATE …) and call no procedure but a few db.* reads.
- SPARQL: rdflib parses the query; an update is refused, and so is any SERVICE clause or
  FROM / FROM NAMED (rdflib would fetch those URLs).

`check_read_only_sparql(text)` is a pure function of the query text, whatever then answers it."""
from __future__ import annotations


class GuardError(ValueError):
    """A query `kg query` refuses; the message says why, in one line."""


# -- Cypher ------------------------------------------------------------------------------------

# operators whose plan reads outside the graph, runs its own transactions, or reads the server
REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV reads files or URLs",
    "TransactionApply": "CALL { … } IN TRANSACTIONS commits on its own",
    "TransactionForeach": "CALL { … } IN TRANSACTIONS commits on its own",
}
ALLOWED_SHOW = {"ShowIndexes", "ShowConstraints"}      # the graph's own schema
# read procedures of the graph itself (introspection and the full-text index)
ALLOWED_PROCEDURES = {
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
}


def _operators(plan):
    """(operator name, details) of every operator of a plan, as the driver gives it."""
    if plan is None:
        return
    if isinstance(plan, dict):
        op, args, children = plan.get("operatorType", ""), plan.get("args", {}), plan.get("children", [])
    else:
        op, args, children = plan.operator_type, plan.arguments, plan.children
    yield op.split("@", 1)[0], str((args or {}).get("Details", ""))
    for child in children or []:
        yield from _operators(child)


def check_cypher_plan(query_type: str | None, plan) -> None:
    """Refuse what an EXPLAIN summary shows is not a plain read (raises GuardError)."""
    for op, details in _operators(plan):
        if op in REFUSED_OPERATORS:
            raise GuardError(f"refused: {REFUSED_OPERATORS[op]}, and kg query only reads the graph")
        if (op.startswith("Show") and op not in ALLOWED_SHOW) or op.startswith("Terminate"):
            raise GuardError(f"refused: `{op}` is an administration command, and kg query only reads the graph")
        if op == "ProcedureCall":
            name = details.split("(", 1)[0].strip()
            if name not in ALLOWED_PROCEDURES:
                raise GuardError(f"refused: procedure `{name}` is not one of the graph reads kg query allows "
                                 f"({', '.join(sorted(ALLOWED_PROCEDURES))})")
    if query_type != "r":
        what = {"w": "writes to the graph", "rw": "writes to the graph", "s": "changes the schema or the server"}
        raise GuardError(f"refused: Neo4j says this query {what.get(query_type, f'is of type {query_type!r}')}, "
                         "and kg query only reads (load documents with `kg load`)")


def check_read_only_cypher(session, text: str, params: dict | None = None) -> None:
    """Ask Neo4j what the query does (EXPLAIN: planned, not run) and refuse all but reads.
    `session` should be a READ session; a query Neo4j cannot plan is refused with its reason."""
    from neo4j.exceptions import ClientError
    try:
        summary = session.run("EXPLAIN " + text, params or {}).consume()
    except ClientError as e:
        raise GuardError(f"refused: Neo4j cannot plan this query: {e.message or e}") from None
    check_cypher_plan(summary.query_type, summary.plan)


# -- SPARQL ------------------------------------------------------------------------------------

def _walk(node):
    from rdflib.plugins.sparql.parserutils import CompValue
    yield node
    if isinstance(node, CompValue):
        children = node.values()
    elif isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        children = list(node)
    else:
        return
    for child in children:
        yield from _walk(child)


def check_read_only_sparql(text: str) -> None:
    """Parse with rdflib and refuse updates, SERVICE (a request to any URL) and FROM / FROM NAMED
    (rdflib loads those graphs from the web). Raises GuardError."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue
    try:
        tree = parseQuery(text)
    except Exception as e:                      # pyparsing's errors: not a query; an update?
        try:
            parseUpdate(text)
        except Exception:
            raise GuardError(f"refused: not a SPARQL query rdflib can read: {str(e).splitlines()[0]}") from None
        raise GuardError("refused: this is a SPARQL update, and kg query only reads") from None
    for node in _walk(tree):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise GuardError("refused: SERVICE would send a request to another server; kg query reads only the store")
            if node.name == "DatasetClause":
                raise GuardError("refused: FROM / FROM NAMED would load graphs from URLs; kg query reads only the store")
