import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SharingChoice, sharingCalls } from '../../renderer/src/features/knowledge/sharing';
import type { KnowledgeDoc } from '../../shared/contract/knowledge';
import { buildTenantWorld, must, type TenantWorld } from '../fixtures/tenants';

/** The console's Share dialog turns a choice into share/unshare calls; these run them for real. */
describe('sharing choices made in the console', () => {
  let world: TenantWorld;
  let doc: KnowledgeDoc;

  beforeAll(async () => {
    world = await buildTenantWorld();
    const owner = (await must(world.backend, 'orgs.list', {})).find((org) => org.isOwner);
    doc = await must(world.backend, 'knowledge.add', {
      orgId: owner?.id,
      title: 'Choice',
      body: 'The choicemarker memo.',
    });
  });
  afterAll(() => world.close());

  /** Applies a choice as the dialog does, then says which client orgs find the document. */
  async function choose(next: SharingChoice): Promise<string[]> {
    const sharing = doc.sharing ?? { all: false, orgs: [] };
    for (const [name, input] of sharingCalls(doc.id, sharing, next)) {
      doc = await must(world.backend, name, input);
    }
    const finders: string[] = [];
    for (const [key, org] of Object.entries(world.orgs)) {
      const hits = await must(world.backend, 'knowledge.search', { orgId: org.id, query: 'choicemarker' });
      if (hits.length > 0) finders.push(key);
    }
    return finders;
  }

  it('reaches exactly the chosen orgs through every change of mind', async () => {
    const { a, b, c } = world.orgs;
    expect(await choose({ mode: 'all' })).toEqual(['a', 'b', 'c']);
    expect(await choose({ mode: 'chosen', orgIds: [a.id] })).toEqual(['a']);
    expect(await choose({ mode: 'chosen', orgIds: [b.id, c.id] })).toEqual(['b', 'c']);
    expect(await choose({ mode: 'all' })).toEqual(['a', 'b', 'c']);
    // Leaving "all" forgets the orgs chosen before it.
    expect(await choose({ mode: 'chosen', orgIds: [c.id] })).toEqual(['c']);
    expect(await choose({ mode: 'none' })).toEqual([]);
    expect(doc.sharing).toEqual({ all: false, orgs: [] });
  });
});
