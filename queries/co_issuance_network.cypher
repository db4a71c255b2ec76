// name: co_issuance_network
// description: Pairs of bodies with the number of policies they issued together, most first, the first `limit` (0: all); with a range of years, the policies dated in it (undated ones count only from year 0).
// params: from_year=0, to_year=9999, limit=1000
// Read from the CO_ISSUED relationships the stores keep at load (schema/schema.toml [derived.CO_ISSUED]):
// c.policies counts every policy the two issued together, c.years holds the year of each dated one, ascending,
// c.first_year and c.last_year the first and last of them.
CALL {
  // no range (the defaults): every policy counts, read in the order of the index on c.policies
  WITH 1 AS one WHERE toInteger($from_year) = 0 AND toInteger($to_year) = 9999
  MATCH (a)-[c:CO_ISSUED]->(b)
  WHERE c.policies > 0 AND a.name <> b.name
  WITH CASE WHEN a.name < b.name THEN a.name ELSE b.name END AS body_a,
       CASE WHEN a.name < b.name THEN b.name ELSE a.name END AS body_b, c.policies AS policies
  RETURN body_a, body_b, policies
  ORDER BY policies DESC, body_a, body_b
  LIMIT CASE WHEN toInteger($limit) > 0 THEN toInteger($limit) ELSE 1000000000 END
  UNION ALL
  // a range of years not from 0: the dated policies in it, read from the pairs whose last dated
  // policy is in or after its first year (the index on c.last_year; undated pairs have none)
  WITH toInteger($from_year) AS lo, toInteger($to_year) AS hi
  WITH lo, hi WHERE lo <> 0
  MATCH ()-[c:CO_ISSUED]->()
  WHERE c.last_year >= lo AND c.first_year <= hi
  WITH c, size([y IN c.years WHERE y >= lo AND y <= hi]) AS policies
  WHERE policies > 0
  WITH startNode(c) AS a, endNode(c) AS b, policies
  WHERE a.name <> b.name
  WITH CASE WHEN a.name < b.name THEN a.name ELSE b.name END AS body_a,
       CASE WHEN a.name < b.name THEN b.name ELSE a.name END AS body_b, policies
  RETURN body_a, body_b, policies
  ORDER BY policies DESC, body_a, body_b
  LIMIT CASE WHEN toInteger($limit) > 0 THEN toInteger($limit) ELSE 1000000000 END
  UNION ALL
  // from year 0 to a year before 9999: the dated policies in it and the undated ones, from every pair
  WITH toInteger($from_year) AS lo, toInteger($to_year) AS hi
  WITH lo, hi WHERE lo = 0 AND hi <> 9999
  MATCH ()-[c:CO_ISSUED]->()
  WITH c, size([y IN c.years WHERE y >= lo AND y <= hi])
          + CASE WHEN hi >= 0 THEN c.policies - size(c.years) ELSE 0 END AS policies
  WHERE policies > 0
  WITH startNode(c) AS a, endNode(c) AS b, policies
  WHERE a.name <> b.name
  WITH CASE WHEN a.name < b.name THEN a.name ELSE b.name END AS body_a,
       CASE WHEN a.name < b.name THEN b.name ELSE a.name END AS body_b, policies
  RETURN body_a, body_b, policies
  ORDER BY policies DESC, body_a, body_b
  LIMIT CASE WHEN toInteger($limit) > 0 THEN toInteger($limit) ELSE 1000000000 END
}
RETURN body_a, body_b, policies
ORDER BY policies DESC, body_a, body_b
