// name: documents_mentioning
// description: The documents that mention an entity, with their titles and dates.
// params: name
MATCH (n:Entity)
WHERE n.forms CONTAINS '|' + $name + '|'
MATCH (n)-[:SUPPORTED_BY]->(d:Document)
RETURN DISTINCT d.key AS doc, d.name AS title, d.date AS date
ORDER BY doc
