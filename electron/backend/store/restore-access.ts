import Database from 'better-sqlite3';
import type { Settings } from '../../../shared/contract/settings';
import type { Check } from './maintenance';

/** What a restore kept of today's access, counted for its audit entry. */
export interface AccessKept {
  /** Users whose password, second factor, role, pages or disabled flag were today's, not the backup's. */
  usersAsToday: number;
  /** Users the backup holds whom today's store records as deleted: disabled. */
  deletedUsersDisabled: number;
  apiTokensRevoked: number;
  invitesEnded: number;
}

class NoOwnerLeft extends Error {}

/** The settings that say how long a sign-in lasts and whether it needs a second factor. */
const SIGN_IN_SETTINGS: (keyof Settings)[] = ['sessionTimeoutHours', 'apiTokenMaxDays', 'requireTwoFactor'];

/** users' columns that say who may sign in, with what, and as what. */
const ACCESS_COLUMNS =
  'role, password_hash, pages, all_client_orgs_role, totp_pending_seed, totp_seed, totp_enrolled_at, totp_last_step, disabled';

/**
 * Carries into the store file `copy` (a backup brought up to date: prepareRestoreCopy) who may sign
 * in today, and with what, from the store file `live` (at this version's schema). A restore brings
 * back the orgs' data, never a password changed since (it may have leaked), a second factor reset
 * after a lost phone, a user disabled or deleted, a role or membership taken away, an API token
 * revoked or shortened, an invite used or revoked, recovery codes spent or replaced, or the sign-in
 * settings (session timeout, token lifetime cap, two-factor required).
 *
 * Rows `live` does not hold end only on its word: a user its audit trail records as deleted is
 * disabled, their tokens revoked at `now`; a row it lacks otherwise may be one made after it
 * (restoring the store a restore kept aside undoes that restore) and stays. Sessions are not
 * carried: a restore ends them all. One transaction: a problem changes nothing and is answered as
 * a Check.
 */
export function carryAccessAsToday(
  copy: string,
  live: string,
  now: string,
): { kept: AccessKept; problems: Check[] } {
  const db = new Database(copy, { fileMustExist: true });
  try {
    db.prepare('ATTACH DATABASE ? AS today').run(live);
    const kept = db.transaction((): AccessKept => {
      const changes = (sql: string) => db.prepare(sql).run().changes;
      const usersAsToday = changes(`
        UPDATE main.users SET (${ACCESS_COLUMNS}) = (SELECT ${ACCESS_COLUMNS} FROM today.users t WHERE t.id = main.users.id)
        WHERE EXISTS (SELECT 1 FROM today.users t WHERE t.id = main.users.id
                      AND (${ACCESS_COLUMNS}) IS NOT (main.users.${ACCESS_COLUMNS.replaceAll(', ', ', main.users.')}))`);
      // Disabled with their tokens revoked: enabling one again must not bring the old tokens back.
      const deletedToday = `NOT EXISTS (SELECT 1 FROM today.users t WHERE t.id = main.users.id)
          AND EXISTS (SELECT 1 FROM today.audit_events e
                      WHERE e.action = 'user.deleted' AND e.target_type = 'user' AND e.target_id = main.users.id)`;
      db.prepare(
        `UPDATE main.api_tokens SET revoked_at = :now WHERE revoked_at IS NULL
           AND user_id IN (SELECT id FROM main.users WHERE ${deletedToday})`,
      ).run({ now });
      const deletedUsersDisabled = changes(
        `UPDATE main.users SET disabled = 1 WHERE disabled = 0 AND ${deletedToday}`,
      );
      // Memberships between a user and an org both stores hold are today's.
      const inBoth = (alias: string) => `
        EXISTS (SELECT 1 FROM today.users u WHERE u.id = ${alias}.user_id)
        AND EXISTS (SELECT 1 FROM main.users u WHERE u.id = ${alias}.user_id)
        AND EXISTS (SELECT 1 FROM today.orgs o WHERE o.id = ${alias}.org_id)
        AND EXISTS (SELECT 1 FROM main.orgs o WHERE o.id = ${alias}.org_id)`;
      changes(`
        DELETE FROM main.memberships AS m WHERE ${inBoth('m')}
          AND NOT EXISTS (SELECT 1 FROM today.memberships t WHERE t.user_id = m.user_id AND t.org_id = m.org_id)`);
      changes(`
        INSERT INTO main.memberships (user_id, org_id, role, created_at)
          SELECT user_id, org_id, role, created_at FROM today.memberships t WHERE ${inBoth('t')}
        ON CONFLICT (user_id, org_id) DO UPDATE SET role = excluded.role`);
      const apiTokensRevoked = changes(`
        UPDATE main.api_tokens SET revoked_at = (SELECT t.revoked_at FROM today.api_tokens t WHERE t.id = main.api_tokens.id)
        WHERE revoked_at IS NULL
          AND EXISTS (SELECT 1 FROM today.api_tokens t WHERE t.id = main.api_tokens.id AND t.revoked_at IS NOT NULL)`);
      // A lifetime cap lowered since shortened the tokens open then (SettingsService.update).
      changes(`
        UPDATE main.api_tokens SET expires_at = (SELECT t.expires_at FROM today.api_tokens t WHERE t.id = main.api_tokens.id)
        WHERE EXISTS (SELECT 1 FROM today.api_tokens t WHERE t.id = main.api_tokens.id AND t.expires_at < main.api_tokens.expires_at)`);
      const settings = SIGN_IN_SETTINGS.map((key) => `'${key}'`).join(', ');
      changes(`DELETE FROM main.settings WHERE key IN (${settings})`);
      changes(
        `INSERT INTO main.settings (key, value) SELECT key, value FROM today.settings WHERE key IN (${settings})`,
      );
      const invitesEnded = changes(`
        UPDATE main.invites SET (used_at, revoked_at, used_by) = (
          SELECT t.used_at, t.revoked_at, (SELECT u.id FROM main.users u WHERE u.id = t.used_by)
          FROM today.invites t WHERE t.id = main.invites.id)
        WHERE used_at IS NULL AND revoked_at IS NULL
          AND EXISTS (SELECT 1 FROM today.invites t WHERE t.id = main.invites.id
                      AND (t.used_at IS NOT NULL OR t.revoked_at IS NOT NULL))`);
      // A user both stores hold has today's recovery codes: spent ones stay spent, replaced ones gone.
      changes(`
        DELETE FROM main.recovery_codes WHERE EXISTS (SELECT 1 FROM today.users u WHERE u.id = main.recovery_codes.user_id)`);
      changes(`
        INSERT INTO main.recovery_codes (user_id, code_hash, used_at)
          SELECT user_id, code_hash, used_at FROM today.recovery_codes c
          WHERE EXISTS (SELECT 1 FROM main.users u WHERE u.id = c.user_id)`);
      // The backup's owners may all be gone today, and today's owner not yet in it: no one could
      // sign in as owner, and a store without one offers first-run setup to whoever asks first.
      const activeOwners = (schema: string) =>
        db
          .prepare(`SELECT count(*) FROM ${schema}.users WHERE role = 'owner' AND disabled = 0`)
          .pluck()
          .get();
      if (activeOwners('main') === 0 && activeOwners('today') !== 0) throw new NoOwnerLeft();
      return { usersAsToday, deletedUsersDisabled, apiTokensRevoked, invitesEnded };
    })();
    return { kept, problems: [] };
  } catch (error) {
    return {
      kept: { usersAsToday: 0, deletedUsersDisabled: 0, apiTokensRevoked: 0, invitesEnded: 0 },
      problems: [
        error instanceof NoOwnerLeft
          ? {
              name: 'owner',
              ok: false,
              detail:
                'every owner in the backup has since been deleted, disabled or given another role, so no one could sign in as owner: choose a later backup',
            }
          : {
              name: 'accounts',
              ok: false,
              detail: `today's passwords, revocations and roles could not be kept (${(error as Error).message})`,
            },
      ],
    };
  } finally {
    db.close();
  }
}
