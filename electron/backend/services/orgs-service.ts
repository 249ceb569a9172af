import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/envelope';
import type { Org } from '../../../shared/contract/orgs';
import { formatMicros, parseMicros } from '../../../shared/domain/money';
import { slugify } from '../../../shared/domain/slug';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { OrgRow } from '../store/repos/orgs-repo';
import type { Store } from '../store/store';

export function toOrg(row: OrgRow): Org {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    isOwner: row.is_owner === 1,
    timezone: row.timezone,
    rate: formatMicros(row.rate_micros, 2),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewOrg {
  name: string;
  slug?: string;
  rate?: string;
  timezone?: string;
}

export function createOrgsService(store: Store, clock: Clock) {
  function found(scope: OrgScope, id: string): OrgRow {
    const row = store.orgs.get(scope, id);
    // Same answer for "absent" and "not yours", so ids of other tenants do not leak.
    if (!row) throw new AppError('NOT_FOUND', 'No such organization.');
    return row;
  }

  return {
    list(scope: OrgScope, search?: string): Org[] {
      return store.orgs.list(scope, search).map(toOrg);
    },

    create(input: NewOrg): Org {
      const slug = input.slug ?? slugify(input.name);
      if (!slug) {
        throw new AppError(
          'VALIDATION',
          'The name has no letters or digits to make a slug from: choose a slug.',
          {
            issues: [{ path: ['slug'], message: 'Choose a slug' }],
          },
        );
      }
      const now = clock.now().toISOString();
      const row: OrgRow = {
        id: randomUUID(),
        slug,
        name: input.name,
        is_owner: 0,
        timezone: input.timezone ?? 'UTC',
        rate_micros: input.rate ? parseMicros(input.rate) : 0,
        created_at: now,
        updated_at: now,
      };
      store.transaction(() => {
        const holder = store.orgs.nameOfSlug(slug);
        if (holder !== undefined) {
          throw new AppError('CONFLICT', `The slug "${slug}" is already used by ${holder}.`, {
            issues: [{ path: ['slug'], message: 'This slug is taken' }],
          });
        }
        store.orgs.insert(row);
      });
      return toOrg(row);
    },

    rename(scope: OrgScope, id: string, name: string): Org {
      found(scope, id);
      store.orgs.rename(id, name, clock.now().toISOString());
      return toOrg(found(scope, id));
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
