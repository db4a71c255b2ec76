// name: entity_facts
// description: Everything linked to an entity, each with one evidence sentence (the first in code-point order) and how many documents say it; `limit` rows (0: all) after the first `skip`.
// params: name, skip=0, limit=200
MATCH (n:Entity)
WHERE n.forms CONTAINS '|' + $name + '|'
// the fact types of schema/schema.toml but HAS_INDICATOR, named: the provenance links (SUPPORTED_BY) are never expanded
MATCH (n)-[r:ISSUED|IMPLEMENTS|REPLIES_TO|PROPOSED|PARTICIPATES_IN|MEMBER_OF|INVESTED_IN|COOPERATES_WITH|ORGANIZED|LEADS|SUPPORTS|PART_OF|MENTIONS]-(o)
WITH r, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction, type(r) AS type, o.name AS other, size(r.docs) AS documents
// a hub has thousands of facts: the page's rows are among its first skip + limit groups of equal
// (type, direction, other, documents), so only their evidence sentences are read (the order below begins so)
WITH type, direction, other, documents, collect(r) AS rs
ORDER BY type, direction, other, documents
LIMIT toInteger($skip) + CASE WHEN toInteger($limit) > 0 THEN toInteger($limit) ELSE 1000000000 END
UNWIND rs AS r
RETURN DISTINCT direction, type, other, documents,
       reduce(m = head(r.evidence_sentences), s IN r.evidence_sentences | CASE WHEN s < m THEN s ELSE m END) AS evidence
// the whole order, ties too: a page is then the same rows on every store
ORDER BY type, direction, other, documents, evidence
SKIP toInteger($skip) LIMIT CASE WHEN toInteger($limit) > 0 THEN toInteger($limit) ELSE 1000000000 END
