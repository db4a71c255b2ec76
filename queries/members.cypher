// name: members
// description: The members of an alliance or community, with their kind.
// params: of
MATCH (a:Entity:Institution)
WHERE a.forms CONTAINS '|' + $of + '|'
MATCH (m)-[:MEMBER_OF]->(a)
RETURN DISTINCT m.name AS member, m.kind AS kind
ORDER BY member
