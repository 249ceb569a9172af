import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeFor } from '../../../electron/backend/router/scopes';
import { LOCAL_OWNER } from '../../../electron/backend/services/principal';
import type { Org } from '../../../shared/contract/orgs';
import { openTestBackend, setUpOwner, type TestBackend } from '../../fixtures/backend';

const CURRENT = { status: 'current' } as const;
const ELECTRON = join(import.meta.dirname, '../../../electron');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('OrgScope.mint', () => {
  it('is called only from electron/backend/router/', () => {
    const callers = sourceFiles(ELECTRON)
      .filter((file) => readFileSync(file, 'utf8').includes('OrgScope.mint('))
      .map((file) => relative(ELECTRON, file).split(sep).join('/'));
    // The scan must see the real caller, or it proves nothing.
    expect(callers).toContain('backend/router/scopes.ts');
    expect(callers.filter((file) => !file.startsWith('backend/router/'))).toEqual([]);
  });
});

describe('the orgs repository under a scope', () => {
  let harness: TestBackend;
  let acme: Org;
  let globex: Org;

  beforeAll(async () => {
    harness = openTestBackend();
    const owner = await setUpOwner(harness);
    acme = await harness.data('orgs.create', { name: 'Acme' }, owner);
    globex = await harness.data('orgs.create', { name: 'Globex' }, owner);
  });

  afterAll(() => harness.cleanup());

  const boundTo = (orgId: string) =>
    scopeFor(
      { ...LOCAL_OWNER, userId: 'someone', role: 'user', memberships: [{ orgId, role: 'viewer' }] },
      'orgs.read',
    );

  it('lists only the org the scope allows', () => {
    const rows = harness.backend.store.orgs.list(boundTo(acme.id), CURRENT);
    expect(rows.map((row) => row.slug)).toEqual(['acme']);
    // Searching for the other org's name does not reach past the scope.
    expect(
      harness.backend.store.orgs.list(boundTo(acme.id), { search: 'Globex', status: 'current' }),
    ).toEqual([]);
  });

  it("never gets another org's row, even by its id", () => {
    expect(harness.backend.store.orgs.get(boundTo(acme.id), acme.id)?.slug).toBe('acme');
    expect(harness.backend.store.orgs.get(boundTo(acme.id), globex.id)).toBeUndefined();
  });

  it('sees every org when the scope is all, and none for a user bound to nothing', () => {
    const all = harness.backend.store.orgs
      .list(scopeFor(LOCAL_OWNER, 'orgs.read'), CURRENT)
      .map((row) => row.slug);
    expect(all).toEqual(['platform', 'acme', 'globex']);
    const unbound = scopeFor(
      { ...LOCAL_OWNER, userId: 'someone', role: 'user', memberships: [] },
      'orgs.read',
    );
    expect(harness.backend.store.orgs.list(unbound, CURRENT)).toEqual([]);
    expect(harness.backend.store.orgs.get(unbound, acme.id)).toBeUndefined();
    expect(scopeFor(null, 'orgs.read').allows(acme.id)).toBe(false);
  });
});
