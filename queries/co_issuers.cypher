// name: co_issuers
// description: The bodies that issued a policy (named by its title or an alias).
// params: policy
MATCH (p:Entity:Policy)
WHERE p.forms CONTAINS '|' + $policy + '|'
MATCH (a)-[:ISSUED]->(p)
RETURN DISTINCT a.name AS issuer, [l IN labels(a) WHERE l <> 'Entity'][0] AS label
ORDER BY issuer
