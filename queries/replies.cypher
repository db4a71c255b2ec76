// name: replies
// description: Replies and the proposals they answer, by proposer or by session (either may be left empty).
// params: proposer=, session=
MATCH (h)-[:PROPOSED]->(r:Proposal)<-[:REPLIES_TO]-(d:Document)
WHERE ($proposer = '' OR h.name = $proposer OR $proposer IN h.aliases)
  AND ($session = '' OR coalesce(r.session, '') CONTAINS $session)
OPTIONAL MATCH (a)-[:ISSUED]->(d)
RETURN DISTINCT h.name AS proposed_by, r.name AS proposal, r.number AS number, r.session AS in_session,
       d.name AS reply, a.name AS replied_by
ORDER BY coalesce(in_session, ''), coalesce(number, ''), proposal, coalesce(replied_by, '')
