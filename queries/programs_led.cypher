// name: programs_led
// description: The programmes a body leads, one row each: the first 20 participants by name and how many there are.
// params: body
MATCH (a:Entity)
WHERE a.forms CONTAINS '|' + $body + '|' AND (a:Agency OR a:Institution)
MATCH (a)-[:LEADS]->(p:Program)
WITH DISTINCT p
CALL {
  WITH p
  OPTIONAL MATCH (x)-[:PARTICIPATES_IN]->(p)
  WITH DISTINCT x.name AS name ORDER BY name
  RETURN collect(name) AS names
}
RETURN p.name AS program, names[..20] AS participants, size(names) AS participant_count
ORDER BY program, participant_count DESC, participants
