// name: entity_facts
// description: Everything linked to an entity, each with one evidence sentence (the first in code-point order) and how many documents say it.
// params: name
MATCH (n:Entity)
WHERE n.forms CONTAINS '|' + $name + '|'
// the fact types of schema/schema.toml but HAS_INDICATOR, named: the provenance links (SUPPORTED_BY) are never expanded
MATCH (n)-[r:ISSUED|IMPLEMENTS|REPLIES_TO|PROPOSED|PARTICIPATES_IN|MEMBER_OF|INVESTED_IN|COOPERATES_WITH|ORGANIZED|LEADS|SUPPORTS|PART_OF|MENTIONS]-(o)
WITH n, r, o, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction
RETURN DISTINCT direction, type(r) AS type, o.name AS other, size(r.docs) AS documents,
       reduce(m = head(r.evidence_sentences), s IN r.evidence_sentences | CASE WHEN s < m THEN s ELSE m END) AS evidence
ORDER BY type, direction, other
