// name: programs_led
// description: The programmes a body leads, and their participants.
// params: body
MATCH (a)
WHERE (a:Agency OR a:Institution) AND (a.name = $body OR $body IN a.aliases)
MATCH (a)-[:LEADS]->(p:Program)
OPTIONAL MATCH (x)-[:PARTICIPATES_IN]->(p)
RETURN DISTINCT p.name AS program, x.name AS participant
ORDER BY program, coalesce(participant, '')
