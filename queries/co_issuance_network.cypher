// name: co_issuance_network
// description: Pairs of bodies with the number of policies they issued together; years by the policy's date (undated policies count only without a range).
// params: from_year=0, to_year=9999
MATCH (a)-[:ISSUED]->(p:Policy)<-[:ISSUED]-(b)
WHERE a.name < b.name
  AND coalesce(toInteger(left(p.date, 4)), 0) >= toInteger($from_year)
  AND coalesce(toInteger(left(p.date, 4)), 0) <= toInteger($to_year)
  AND (p.date IS NOT NULL OR toInteger($from_year) = 0)
RETURN a.name AS body_a, b.name AS body_b, count(DISTINCT p) AS policies
ORDER BY policies DESC, body_a, body_b
