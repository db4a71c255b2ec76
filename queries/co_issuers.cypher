// name: co_issuers
// description: The bodies that issued a policy (named by its title or an alias).
// params: policy
MATCH (p:Policy)
WHERE p.name = $policy OR $policy IN p.aliases
MATCH (a)-[:ISSUED]->(p)
RETURN DISTINCT a.name AS issuer, labels(a)[0] AS label
ORDER BY issuer
