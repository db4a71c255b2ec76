"""`kg query` only reads: Neo4j decides what a Cypher query does (EXPLAIN in a READ session),
rdflib's parser what a SPARQL query does. Each bypass of the old text-matching guard is here."""
import http.server
import threading

import pytest
from rdflib import Graph

from kg import query as q
from kg.query_guard import GuardError, check_cypher_plan, check_read_only_sparql

REFUSED_CYPHER = [
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD/**/CSV FROM 'file:///../../../etc/passwd' AS row RETURN row",
    "load\ncsv from 'http://127.0.0.1:1/x' AS row RETURN row",
    "CALL `dbms`.`listConfig`()",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL db.clearQueryCaches()",
    "CALL tx.getMetaData()",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW TRANSACTIONS",
    "SHOW SETTINGS",
    "SHOW PROCEDURES",
    "MATCH (n) CALL { WITH n RETURN n.name AS x } IN TRANSACTIONS RETURN x",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS",
    "MATCH (n) DETACH DELETE n",
    "CREATE (:Agency {key: 'x'})",
    "MATCH (n) SET n.x = 1 RETURN n",
    "MERGE (n:Agency {key: 'x'}) RETURN n",
    "FOREACH (x IN [1] | CREATE (:Agency {key: 'y'}))",
    "CALL { CREATE (:Agency {key: 'sneaky'}) } RETURN 1",
    "CREATE INDEX sneaky IF NOT EXISTS FOR (n:Agency) ON (n.sneaky)",
    "/* a comment first */ CREATE (:Agency {key: 'z'})",
    "PROFILE MATCH (n) RETURN n",
    "MATCH (n) RETURN n; CREATE (:Agency {key: 'w'})",
]

ALLOWED_CYPHER = [
    ("RETURN 'CREATE' AS word", [["CREATE"]]),
    ("RETURN 'LOAD CSV FROM file:///etc/passwd' AS s", [["LOAD CSV FROM file:///etc/passwd"]]),
    ("MATCH (a:Agency) WHERE a.name = 'x' RETURN a.name AS name", []),
    ("CALL db.labels() YIELD label RETURN count(*) > 0 AS any", [[True]]),
    ("EXPLAIN MATCH (n) RETURN n", []),      # planned twice, run never
    ("SHOW INDEXES YIELD name WHERE name = 'kg_names' RETURN name", [["kg_names"]]),
]


@pytest.mark.parametrize("text", REFUSED_CYPHER)
def test_cypher_that_is_not_a_plain_read_is_refused(neo4j_store, text):
    before = neo4j_store.stats()
    with pytest.raises(q.QueryError, match="^refused"):
        q.run_cypher(neo4j_store, text, {})
    assert neo4j_store.stats() == before
    with neo4j_store.session(write=False) as s:
        assert s.run("SHOW INDEXES YIELD name WHERE name = 'sneaky' RETURN count(*) AS c").single()["c"] == 0


@pytest.mark.parametrize("text,rows", ALLOWED_CYPHER)
def test_reads_pass(neo4j_store, text, rows):
    assert q.run_cypher(neo4j_store, text, {})[1] == rows


def test_procedures_named_by_the_plan_not_the_text():
    """On a server that has dbms.listConfig (any Neo4j but `kg neo4j start`'s), the plan names it."""
    plan = {"operatorType": "ProduceResults@neo4j", "args": {}, "children": [
        {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "dbms.listConfig($autostring_0) :: (name :: STRING)"}}]}
    with pytest.raises(GuardError, match="dbms.listConfig"):
        check_cypher_plan("r", plan)
    ok = {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "db.labels() :: (label :: STRING)"}}
    check_cypher_plan("r", ok)
    with pytest.raises(GuardError, match="writes"):
        check_cypher_plan("rw", ok)


def test_named_queries_pass_both_guards():
    for nq in q.library().values():
        check_read_only_sparql(nq.sparql)


@pytest.fixture
def listener():
    """An HTTP server that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}')

        do_POST = do_GET

        def log_message(self, *a):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/", hits
    httpd.shutdown()


REFUSED_SPARQL = [
    ("INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}", "update"),
    ("PREFIX kg: <https://kg.example.org/ontology#> DELETE WHERE {{ ?s ?p ?o }}", "update"),
    ("LOAD <{url}data.ttl>", "update"),
    ("CLEAR ALL", "update"),
    ("SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
    ("select * where {{ service silent <{url}sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
    ("SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}q> {{ ?s ?p ?o }} }} }}", "SERVICE"),
    ("ASK {{ FILTER EXISTS {{ SERVICE <{url}q> {{ ?s ?p ?o }} }} }}", "SERVICE"),
    ("SELECT * FROM <{url}g.ttl> WHERE {{ ?s ?p ?o }}", "FROM"),
    ("SELECT * FROM NAMED <{url}g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM"),
    ("SELEC * WHERE {{ ?s ?p ?o }}", "not a SPARQL query"),
]


@pytest.mark.parametrize("text,why", REFUSED_SPARQL)
def test_sparql_updates_and_requests_are_refused(listener, text, why):
    url, hits = listener
    g = Graph()
    with pytest.raises(q.QueryError, match=f"^refused.*{why}"):
        q.run_sparql(g, text.format(url=url), {})
    assert hits == [] and len(g) == 0


def test_the_listener_would_have_seen_a_service_call(listener):
    """Unguarded, rdflib does make the request: the refusal above is what stops it."""
    url, hits = listener
    list(Graph().query(f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}"))
    assert hits


def test_sparql_reads_pass():
    g = Graph()
    g.parse(data='<urn:a> <urn:b> "SERVICE" .', format="nt")
    assert q.run_sparql(g, 'SELECT ?s WHERE { ?s ?p "SERVICE" }', {})[1] == [["urn:a"]]
