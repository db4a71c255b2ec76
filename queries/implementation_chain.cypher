// name: implementation_chain
// description: What a policy implements and what implements it, transitively.
// params: policy
MATCH (p)
WHERE (p:Policy OR p:Program) AND (p.name = $policy OR $policy IN p.aliases)
CALL {
  WITH p MATCH (p)-[:IMPLEMENTS*1..20]->(x) RETURN x, 'implements' AS relation
  UNION
  WITH p MATCH (x)-[:IMPLEMENTS*1..20]->(p) RETURN x, 'implemented_by' AS relation
}
RETURN DISTINCT relation, x.name AS linked
ORDER BY relation, linked
