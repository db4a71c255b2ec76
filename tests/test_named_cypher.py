"""The named Cypher queries name the fact relationship types they expand (so that Neo4j never
walks the provenance links, SUPPORTED_BY, a body named in thousands of letters has), and those
lists are the schema's."""
import re

from kg import query as q
from kg.schema import load_schema


def _types_in(text: str) -> list[set[str]]:
    return [set(m.split("|")) for m in re.findall(r"\[\w*:([A-Z_|]+)(?:\*[.\d]*)?\]", text)]


def test_expansions_name_the_schema_fact_types():
    lib = q.library()
    schema = set(load_schema().relationships)
    assert _types_in(lib["entity_facts"].cypher) == [schema - {"HAS_INDICATOR"}]
    assert _types_in(lib["shortest_path"].cypher) == [schema]


def test_no_named_query_expands_every_type(neo4j_store):
    """The plans of entity_facts and shortest_path expand only named types."""
    lib = q.library()
    with neo4j_store.session(write=False) as s:
        for name, params in (("entity_facts", {"name": "x"}), ("shortest_path", {"from": "x", "to": "y"})):
            plan = str(s.run("EXPLAIN " + lib[name].cypher, params).consume().plan)
            assert "SUPPORTED_BY" not in plan and "ISSUED" in plan, name
