// name: documents_mentioning
// description: The documents that mention an entity, with their titles and dates; `limit` rows (0: all) after the first `skip`.
// params: name, skip=0, limit=200
MATCH (n:Entity)
WHERE n.forms CONTAINS '|' + $name + '|'
MATCH (n)-[:SUPPORTED_BY]->(d:Document)
// a hub is named in thousands of letters: the page is chosen by key (unique), and only its
// documents' titles and dates are read
WITH DISTINCT d
ORDER BY d.key
SKIP toInteger($skip) LIMIT CASE WHEN toInteger($limit) > 0 THEN toInteger($limit) ELSE 1000000000 END
RETURN d.key AS doc, d.name AS title, d.date AS date
ORDER BY doc
