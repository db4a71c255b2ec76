// name: documents_mentioning
// description: The documents that mention an entity, with their titles and dates.
// params: name
MATCH (n:Entity)
WHERE n.forms CONTAINS '|' + $name + '|'
UNWIND n.docs AS doc
MATCH (d:Document {key: doc})
RETURN DISTINCT doc, d.name AS title, d.date AS date
ORDER BY doc
