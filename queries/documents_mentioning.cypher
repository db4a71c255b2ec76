// name: documents_mentioning
// description: The documents that mention an entity, with their titles and dates.
// params: name
MATCH (n)
WHERE n.name = $name OR $name IN n.aliases
UNWIND n.docs AS doc
MATCH (d:Document {key: doc})
RETURN DISTINCT doc, d.name AS title, d.date AS date
ORDER BY doc
