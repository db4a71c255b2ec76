// name: shortest_path
// description: The shortest chain of relationships between two entities (either direction, up to 3 steps); of equal ones, the first by names.
// params: from, to
MATCH (a:Entity) WHERE a.forms CONTAINS '|' + $from + '|'
MATCH (b:Entity) WHERE b.forms CONTAINS '|' + $to + '|'
MATCH p = allShortestPaths((a)-[rs*..3]-(b))
WHERE all(r IN rs WHERE type(r) <> 'SUPPORTED_BY')   // provenance links are not facts
WITH [x IN nodes(p) | x.name] AS names
RETURN size(names) - 1 AS hops, reduce(s = head(names), x IN tail(names) | s + ' → ' + x) AS path
ORDER BY path
LIMIT 1
