import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract';
import { allows, allowsIn, MEMBERSHIP_ROLES, orgsAllowing } from '../../../shared/domain/permissions';
import { roleMatrixMarkdown } from '../../../shared/domain/role-matrix';

const ORG_A = 'a';
const ORG_B = 'b';

describe('the role matrix', () => {
  it('is in the docs as the matrix says (run npm run docs:roles after changing it)', () => {
    const docs = readFileSync(new URL('../../../docs/roles.md', import.meta.url), 'utf8');
    expect(docs).toBe(roleMatrixMarkdown(contract));
  });

  it('never gives a membership role money, users or settings, whatever the pages', () => {
    for (const role of MEMBERSHIP_ROLES) {
      const who = { role: 'user' as const, pages: [], memberships: [{ orgId: ORG_A, role }] };
      const everyPage = {
        ...who,
        pages: ['agents', 'knowledge', 'billing', 'guardrails', 'audit', 'settings'] as const,
      };
      for (const grantee of [who, everyPage]) {
        for (const permission of [
          'billing.manage',
          'billing.read',
          'users.manage',
          'settings.manage',
        ] as const)
          expect(allows(grantee, permission), `${role} ${permission}`).toBe(false);
      }
    }
  });

  it('uses the role of the org a request targets', () => {
    const who = {
      role: 'user' as const,
      pages: ['agents' as const],
      memberships: [
        { orgId: ORG_A, role: 'manager' as const },
        { orgId: ORG_B, role: 'viewer' as const },
      ],
    };
    expect(allowsIn(who, 'agents.manage', ORG_A)).toBe(true);
    expect(allowsIn(who, 'agents.manage', ORG_B)).toBe(false);
    expect(allowsIn(who, 'agents.read', ORG_B)).toBe(true);
    expect(allowsIn(who, 'agents.read', 'c')).toBe(false);
    expect([...(orgsAllowing(who, 'agents.manage') as Set<string>)]).toEqual([ORG_A]);
    // Without the Knowledge page, a manager's knowledge permissions are narrowed away.
    expect(allowsIn(who, 'knowledge.edit', ORG_A)).toBe(false);
  });
});
