// name: programs_led
// description: The programmes a body leads, and their participants.
// params: body
MATCH (a:Entity)
WHERE a.forms CONTAINS '|' + $body + '|' AND (a:Agency OR a:Institution)
MATCH (a)-[:LEADS]->(p:Program)
OPTIONAL MATCH (x)-[:PARTICIPATES_IN]->(p)
RETURN DISTINCT p.name AS program, x.name AS participant
ORDER BY program, coalesce(participant, '')
