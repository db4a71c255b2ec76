// name: implementation_chain
// description: What a policy implements and what implements it, transitively.
// params: policy
MATCH (p:Entity)
WHERE p.forms CONTAINS '|' + $policy + '|' AND (p:Policy OR p:Program)
CALL {
  WITH p MATCH (p)-[:IMPLEMENTS*1..20]->(x) RETURN x, 'implements' AS relation
  UNION
  WITH p MATCH (x)-[:IMPLEMENTS*1..20]->(p) RETURN x, 'implemented_by' AS relation
}
RETURN DISTINCT relation, x.name AS linked
ORDER BY relation, linked
