// name: replies
// description: Replies and the proposals they answer, by proposer or by session (either may be left empty).
// params: proposer=, session=
// with a proposer, start from the forms index; without one, from every proposal
CALL {
  MATCH (h:Entity) WHERE $proposer <> '' AND h.forms CONTAINS '|' + $proposer + '|'
  MATCH (h)-[:PROPOSED]->(r:Proposal)
  RETURN h, r
  UNION
  WITH 1 AS one WHERE $proposer = ''
  MATCH (h)-[:PROPOSED]->(r:Proposal)
  RETURN h, r
}
WITH h, r WHERE $session = '' OR coalesce(r.session, '') CONTAINS $session
MATCH (r)<-[:REPLIES_TO]-(d:Document)
OPTIONAL MATCH (a)-[:ISSUED]->(d)
RETURN DISTINCT h.name AS proposed_by, r.name AS proposal, r.number AS number, r.session AS in_session,
       d.name AS reply, a.name AS replied_by
ORDER BY coalesce(in_session, ''), coalesce(number, ''), proposal, coalesce(replied_by, '')
