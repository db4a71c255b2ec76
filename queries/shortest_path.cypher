// name: shortest_path
// description: The shortest chain of relationships between two entities (either direction, up to 6 steps); of equal ones, the first by names.
// params: from, to
MATCH (a:Entity) WHERE a.forms CONTAINS '|' + $from + '|'
MATCH (b:Entity) WHERE b.forms CONTAINS '|' + $to + '|'
// every fact type of schema/schema.toml, named: provenance links (SUPPORTED_BY) are never expanded
MATCH p = allShortestPaths((a)-[:ISSUED|IMPLEMENTS|REPLIES_TO|PROPOSED|PARTICIPATES_IN|MEMBER_OF|INVESTED_IN|COOPERATES_WITH|ORGANIZED|LEADS|SUPPORTS|PART_OF|HAS_INDICATOR|MENTIONS*..6]-(b))
WITH [x IN nodes(p) | x.name] AS names
RETURN size(names) - 1 AS hops, reduce(s = head(names), x IN tail(names) | s + ' → ' + x) AS path
ORDER BY hops, path
LIMIT 1
