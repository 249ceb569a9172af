import type { PostgresMigration } from '../migrate';

/**
 * What the server needs to run on row-level security:
 * - while the router resolves who is calling, the call's orgs are not known yet: the store names
 *   the user (orgdeck.user_id), who may then read their own memberships and the orgs those name
 *   (every client org for a user who serves them all), and nothing else;
 * - a call that sees every org (owner, admin) lists the orgs to name them explicitly;
 * - any call may append an audit entry of no org (sign-ins, setup), which only MSP-wide calls read;
 * - two numbers are MSP-wide while their rows belong to orgs: the audit chain's head and each
 *   year's last statement number. Row-level security would hide other orgs' rows from a scoped
 *   call and fork them, so each lives in a shared row, taken FOR UPDATE by the writing transaction
 *   (which also makes concurrent servers take turns).
 */
export const callIdentityChainHeads: PostgresMigration = {
  version: 4,
  name: 'Call identity, MSP-wide org listing, audit chain head and statement numbers',
  sql: `
    CREATE FUNCTION orgdeck_user_id() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT nullif(current_setting('orgdeck.user_id', true), '')
    $$;

    CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = orgdeck_user_id());
    CREATE POLICY callers_orgs ON orgs FOR SELECT USING (
      orgdeck_msp_wide()
      OR EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = orgs.id AND m.user_id = orgdeck_user_id())
      OR (is_owner = 0 AND EXISTS (SELECT 1 FROM users u
                                   WHERE u.id = orgdeck_user_id() AND u.all_client_orgs_role IS NOT NULL)));

    -- Any call may append an entry of no org (a sign-in, a setting): only MSP-wide calls read them.
    CREATE POLICY anyone_appends_msp_entries ON audit_events FOR INSERT WITH CHECK (org_id IS NULL);

    CREATE TABLE audit_chain_head (
      id        smallint PRIMARY KEY CHECK (id = 1),
      last_id   bigint NOT NULL,
      last_hash text NOT NULL
    );
    CREATE TABLE statement_numbers (
      year     integer PRIMARY KEY,
      last_seq integer NOT NULL CHECK (last_seq > 0)
    );

    -- The owner reads every org's rows once, with the rule lifted inside this transaction.
    ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE statements NO FORCE ROW LEVEL SECURITY;
    INSERT INTO audit_chain_head (id, last_id, last_hash)
      SELECT 1, coalesce(max(id), 0),
             coalesce((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '')
      FROM audit_events;
    INSERT INTO statement_numbers (year, last_seq) SELECT year, max(seq) FROM statements GROUP BY year;
    ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
    ALTER TABLE statements FORCE ROW LEVEL SECURITY;
  `,
};
