import type { PostgresMigration } from '../migrate';

/**
 * A client reads the owner org's documents shared with it, and each names its org ("shared by
 * Platform"): the owner org's row is readable by a call that can read one of its documents
 * (knowledge_docs' own policies decide which), and by no other client call.
 */
export const sharedKnowledgeOwnerOrg: PostgresMigration = {
  version: 6,
  name: 'The owner org is named to the clients it shares knowledge with',
  sql: `
    CREATE POLICY shared_knowledge_owner ON orgs FOR SELECT USING (
      is_owner = 1 AND EXISTS (SELECT 1 FROM knowledge_docs d WHERE d.org_id = orgs.id));
  `,
};
