// name: documents_mentioning
// description: The documents that mention an entity, with their titles and dates; `limit` rows (0: all) after the first `skip`.
// params: name, skip=0, limit=200
MATCH (n:Entity)
WHERE n.forms CONTAINS '|' + $name + '|'
MATCH (n)-[:SUPPORTED_BY]->(d:Document)
RETURN DISTINCT d.key AS doc, d.name AS title, d.date AS date
ORDER BY doc
SKIP toInteger($skip) LIMIT CASE WHEN toInteger($limit) > 0 THEN toInteger($limit) ELSE 1000000000 END
