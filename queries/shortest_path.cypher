// name: shortest_path
// description: The shortest chain of relationships between two entities (either direction, up to 6 steps), each step with its type and direction (A -[ISSUED]→ B ←[LEADS]- C); of equal ones, the first by names, then by that text.
// params: from, to
MATCH (a:Entity) WHERE a.forms CONTAINS '|' + $from + '|'
MATCH (b:Entity) WHERE b.forms CONTAINS '|' + $to + '|'
// every fact type of schema/schema.toml, named: provenance links (SUPPORTED_BY) are never expanded
MATCH p = allShortestPaths((a)-[:ISSUED|IMPLEMENTS|REPLIES_TO|PROPOSED|PARTICIPATES_IN|MEMBER_OF|INVESTED_IN|COOPERATES_WITH|ORGANIZED|LEADS|SUPPORTS|PART_OF|HAS_INDICATOR|MENTIONS*..6]-(b))
WITH nodes(p) AS ns, relationships(p) AS rs
WITH size(rs) AS hops, reduce(s = head(ns).name, x IN tail(ns) | s + ' → ' + x.name) AS names,
     reduce(s = ns[0].name, i IN range(0, size(rs) - 1) |
            s + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -[' + type(rs[i]) + ']→ ' ELSE ' ←[' + type(rs[i]) + ']- ' END
              + ns[i + 1].name) AS path
RETURN hops, path
ORDER BY hops, names, path
LIMIT 1
