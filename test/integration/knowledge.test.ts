import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCH_END, MATCH_START, MAX_BODY_CHARS } from '../../shared/contract/knowledge';
import { onPostgresProject } from '../fixtures/backend';
import {
  buildTenantWorld,
  must,
  nextMillisecond,
  ownerSession,
  PASSWORD,
  type TenantWorld,
  tokenSession,
} from '../fixtures/tenants';

/** A one-page PDF whose text is `text`, written by hand (PDF 1.4, Helvetica). */
function tinyPdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

describe('knowledge partitioning', () => {
  let world: TenantWorld;
  let ownerOrgId: string;

  beforeAll(async () => {
    world = await buildTenantWorld();
    const owner = (await must(world.backend, 'orgs.list', {})).find((org) => org.isOwner);
    ownerOrgId = owner?.id ?? '';
  });
  afterAll(() => world.close());

  const search = (orgId: string, query: string) => must(world.backend, 'knowledge.search', { orgId, query });
  const titles = async (orgId: string, query: string) =>
    (await search(orgId, query)).map((hit) => hit.doc.title);

  it("never finds a word of org B's document from org A", async () => {
    expect(await titles(world.orgs.b.id, 'bsecretword')).toEqual(['b-runbook']);
    expect(await titles(world.orgs.a.id, 'bsecretword')).toEqual([]);
    expect(await titles(world.orgs.c.id, 'bsecretword')).toEqual([]);
  });

  it('keeps an owner document that is not shared from every client, and shows a shared one to exactly its orgs', async () => {
    for (const org of Object.values(world.orgs)) expect(await titles(org.id, 'ownerprivate')).toEqual([]);
    expect(await titles(ownerOrgId, 'ownerprivate')).toEqual(['owner-private']);
    expect(await titles(world.orgs.b.id, 'sharedbeta')).toEqual(['owner-shared-b']);
    expect(await titles(world.orgs.a.id, 'sharedbeta')).toEqual([]);
    expect(await titles(world.orgs.c.id, 'sharedbeta')).toEqual([]);

    const list = await must(world.backend, 'knowledge.list', { orgId: world.orgs.b.id });
    expect(list.own.map((doc) => doc.title)).toEqual(['b-runbook']);
    expect(list.shared.map((doc) => doc.title)).toEqual(['owner-shared-b']);
  });

  it('marks matches in ranked snippets, and the title ranks above the body', async () => {
    const doc = await must(world.backend, 'knowledge.add', {
      orgId: world.orgs.c.id,
      title: 'Escalation ladder',
      body: 'Who to call. The escalation path goes to the duty manager.',
    });
    await must(world.backend, 'knowledge.add', {
      orgId: world.orgs.c.id,
      title: 'Holidays',
      body: 'An escalation is rare on holidays.',
    });
    const hits = await search(world.orgs.c.id, 'escalat');
    expect(hits.map((hit) => hit.doc.title)).toEqual(['Escalation ladder', 'Holidays']);
    expect(hits[0]?.title).toBe(`${MATCH_START}Escalation${MATCH_END} ladder`);
    expect(hits[0]?.snippet).toContain(`${MATCH_START}escalation${MATCH_END}`);
    await must(world.backend, 'knowledge.delete', { id: doc.id });
    expect(await titles(world.orgs.c.id, 'ladder')).toEqual([]);
  });

  it('shows a snippet with an ellipsis where words are left out, and the punctuation around it otherwise, on either engine', async () => {
    const words = (word: string, count: number) =>
      Array.from({ length: count }, (_, i) => `${word}${i}`).join(' ');
    const added = [
      await must(world.backend, 'knowledge.add', {
        orgId: world.orgs.c.id,
        title: 'Long runbook',
        // Far more words either side than a snippet holds, and far more text than it ships.
        body: `${words('alpha', 2_000)} the pagerduty rota ${words('omega', 2_000)}`,
      }),
      await must(world.backend, 'knowledge.add', {
        orgId: world.orgs.c.id,
        title: 'Short note',
        body: '“Rotate the oncallkey.”',
      }),
    ];
    const [long] = await search(world.orgs.c.id, 'pagerduty');
    expect(long?.snippet.startsWith('…')).toBe(true);
    expect(long?.snippet.endsWith('…')).toBe(true);
    expect(long?.snippet).toContain(`${MATCH_START}pagerduty${MATCH_END}`);
    const [short] = await search(world.orgs.c.id, 'oncallkey');
    expect(short?.snippet).toBe(`“Rotate the ${MATCH_START}oncallkey${MATCH_END}.”`);
    for (const doc of added) await must(world.backend, 'knowledge.delete', { id: doc.id });
  });

  it('finds words whatever their accents, on either engine', async () => {
    const doc = await must(world.backend, 'knowledge.add', {
      orgId: world.orgs.c.id,
      title: 'Résumé des procédures',
      body: 'Le café ferme à 18 h; the office is in Zurich.',
    });
    expect(await titles(world.orgs.c.id, 'resume procedures')).toEqual(['Résumé des procédures']);
    expect(await titles(world.orgs.c.id, 'CAFE')).toEqual(['Résumé des procédures']);
    // An accent typed where the document has none finds it too: SQLite's tokenizer folds both.
    expect(await titles(world.orgs.c.id, 'zürich')).toEqual(['Résumé des procédures']);
    const [hit] = await search(world.orgs.c.id, 'cafe');
    expect(hit?.snippet).toContain(`${MATCH_START}café${MATCH_END}`);
    await must(world.backend, 'knowledge.delete', { id: doc.id });
  });

  it('refuses to share a client document', async () => {
    const [doc] = (await must(world.backend, 'knowledge.list', { orgId: world.orgs.a.id })).own;
    const envelope = await world.backend.router.call(
      'knowledge.share',
      { id: doc?.id, orgs: 'all' },
      ownerSession(),
    );
    expect(envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('lets only a caller who sees every org share a document with every org', async () => {
    // A member of the owner org may edit its documents, and sees no client org.
    const session = tokenSession();
    await must(world.backend, 'users.create', {
      email: 'staff-member@example.com',
      name: 'Staff Member',
      role: 'user',
      boundOrgId: null,
      memberships: [{ orgId: ownerOrgId, role: 'member' }],
      pages: ['knowledge'],
      password: PASSWORD,
    });
    await must(
      world.backend,
      'session.signIn',
      { email: 'staff-member@example.com', password: PASSWORD },
      session,
    );
    const doc = await must(
      world.backend,
      'knowledge.add',
      { orgId: ownerOrgId, title: 'msp-cost-notes', body: 'Our costs: internalmarginword.' },
      session,
    );
    const everyOrg = await world.backend.router.call('knowledge.share', { id: doc.id, orgs: 'all' }, session);
    expect(everyOrg).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('every organization') },
    });
    expect(await titles(world.orgs.a.id, 'internalmarginword')).toEqual([]);
    expect(await titles(world.orgs.c.id, 'internalmarginword')).toEqual([]);
    // The owner may; and the member cannot undo what the owner shared with orgs it does not see.
    await must(world.backend, 'knowledge.share', { id: doc.id, orgs: 'all' });
    await must(world.backend, 'knowledge.share', { id: doc.id, orgs: [world.orgs.b.id] });
    expect(await titles(world.orgs.a.id, 'internalmarginword')).toEqual(['msp-cost-notes']);
    expect(await world.backend.router.call('knowledge.unshare', { id: doc.id }, session)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await world.backend.router.call('knowledge.unshare', { id: doc.id, orgs: [world.orgs.b.id] }, session),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await titles(world.orgs.a.id, 'internalmarginword')).toEqual(['msp-cost-notes']);
    expect(await titles(world.orgs.a.id, 'internalmarginword')).toEqual(['msp-cost-notes']);
    await must(world.backend, 'knowledge.delete', { id: doc.id });
  });

  it('saves a long document of many different words, or on PostgreSQL refuses it as too large to index', async () => {
    // 200,000 different words, 1.3M characters: within the 2M a document may hold, but their search
    // index is over the 1 MB PostgreSQL keeps per document.
    const body = Array.from({ length: 200_000 }, (_, i) => `w${i.toString(36)}`).join(' ');
    const saved = await world.backend.router.call(
      'knowledge.add',
      { orgId: world.orgs.b.id, title: 'b-word-table', body },
      ownerSession(),
    );
    if (onPostgresProject()) {
      expect(saved).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', message: expect.stringContaining('too many different words to index') },
      });
      expect(await titles(world.orgs.b.id, 'w5yc')).toEqual([]);
    } else {
      expect(saved).toMatchObject({ ok: true });
      expect(await titles(world.orgs.b.id, 'w5yc')).toEqual(['b-word-table']);
      if (saved.ok) await must(world.backend, 'knowledge.delete', { id: (saved.data as { id: string }).id });
    }
  });

  it('refuses an edit made on a document another editor has changed since, saving nothing', async () => {
    const opened = await must(world.backend, 'knowledge.add', {
      orgId: world.orgs.b.id,
      title: 'b-escalation',
      body: 'Call the lead.',
    });
    // A document's state is its updatedAt: on this wall clock, a save in the same millisecond would share it.
    await nextMillisecond();
    const first = await must(world.backend, 'knowledge.update', {
      id: opened.id,
      expectedUpdatedAt: opened.updatedAt,
      body: 'Call the lead, then the manager.',
    });
    const second = await world.backend.router.call(
      'knowledge.update',
      { id: opened.id, expectedUpdatedAt: opened.updatedAt, title: 'b-escalation-old' },
      ownerSession(),
    );
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(/^“b-escalation” was changed while you edited it/),
      },
    });
    const now = await must(world.backend, 'knowledge.get', { id: opened.id });
    expect([now.title, now.body]).toEqual(['b-escalation', 'Call the lead, then the manager.']);
    expect(
      await must(world.backend, 'knowledge.update', {
        id: opened.id,
        expectedUpdatedAt: first.updatedAt,
        title: 'b-escalation-v2',
      }),
    ).toMatchObject({ title: 'b-escalation-v2' });
    await must(world.backend, 'knowledge.delete', { id: opened.id });
  });

  it("keeps a deleted org's documents as they are until it is restored", async () => {
    const delta = await must(world.backend, 'orgs.create', { name: 'Delta Deleted' });
    const doc = await must(world.backend, 'knowledge.add', {
      orgId: delta.id,
      title: 'delta-notes',
      body: 'Kept through a delete: restorableword.',
    });
    await must(world.backend, 'orgs.delete', { id: delta.id, confirmName: delta.name });
    for (const [channel, input] of [
      ['knowledge.update', { id: doc.id, title: 'changed meanwhile' }],
      ['knowledge.delete', { id: doc.id }],
    ] as const)
      expect(await world.backend.router.call(channel, input, ownerSession())).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: 'Delta Deleted is deleted: restore it first.' },
      });
    // Out of sight meanwhile, as the org's list of documents is.
    for (const [channel, input] of [
      ['knowledge.get', { id: doc.id }],
      ['knowledge.list', { orgId: delta.id }],
    ] as const)
      expect(await world.backend.router.call(channel, input, ownerSession())).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    await must(world.backend, 'orgs.restore', { id: delta.id });
    expect((await must(world.backend, 'knowledge.get', { id: doc.id })).title).toBe('delta-notes');
    await must(world.backend, 'knowledge.delete', { id: doc.id });
  });

  it("follows an agent's assignment: its org's documents and what is shared with that org", async () => {
    const agent = await must(world.backend, 'agents.get', { handle: 'a-agent-1' });
    const before = await must(world.backend, 'knowledge.visibleToAgent', { agentId: agent.id });
    expect(before.docs.map((doc) => doc.title)).toEqual(['a-runbook']);

    await must(world.backend, 'agents.assign', { agentIds: [agent.id], orgId: world.orgs.b.id, move: true });
    const moved = await must(world.backend, 'knowledge.visibleToAgent', { agentId: agent.id });
    expect(moved.org?.id).toBe(world.orgs.b.id);
    expect(moved.docs.map((doc) => [doc.title, doc.shared])).toEqual([
      ['b-runbook', false],
      ['owner-shared-b', true],
    ]);

    await must(world.backend, 'agents.unassign', { agentIds: [agent.id] });
    expect(await must(world.backend, 'knowledge.visibleToAgent', { agentId: agent.id })).toEqual({
      org: null,
      docs: [],
    });
  });

  it('shows a client that a document is shared by the owner org, never which other clients it reaches', async () => {
    const doc = await must(world.backend, 'knowledge.add', {
      orgId: ownerOrgId,
      title: 'Escalation matrix',
      body: 'The pelicanword escalation matrix.',
    });
    await must(world.backend, 'knowledge.share', { id: doc.id, orgs: [world.orgs.a.id, world.orgs.b.id] });
    await must(world.backend, 'users.update', {
      id: (await must(world.backend, 'users.list', { search: 'user-a@' }))[0]?.id,
      pages: ['agents', 'knowledge'],
    });
    const alice = tokenSession();
    await must(world.backend, 'session.signIn', { email: 'user-a@example.com', password: PASSWORD }, alice);
    const agentA = (await must(world.backend, 'agents.list', { org: world.orgs.a.id }, alice)).items[0];
    const replies = [
      await must(world.backend, 'knowledge.list', { orgId: world.orgs.a.id }, alice),
      await must(world.backend, 'knowledge.get', { id: doc.id }, alice),
      await must(world.backend, 'knowledge.search', { orgId: world.orgs.a.id, query: 'pelicanword' }, alice),
      await must(world.backend, 'knowledge.visibleToAgent', { agentId: agentA?.id }, alice),
    ];
    for (const reply of replies) {
      const text = JSON.stringify(reply);
      expect(text).toContain('Escalation matrix');
      for (const leak of [world.orgs.b.id, world.orgs.b.slug, world.orgs.b.name])
        expect(text).not.toContain(leak);
    }
    const read = replies[1] as { org: { id: string }; sharing: unknown };
    expect(read.org.id).toBe(ownerOrgId);
    expect(read.sharing).toBeNull();
    // The owner still sees the whole list.
    const owners = await must(world.backend, 'knowledge.get', { id: doc.id });
    expect(owners.sharing?.orgs.map((org) => org.id).sort()).toEqual(
      [world.orgs.a.id, world.orgs.b.id].sort(),
    );
    await must(world.backend, 'knowledge.delete', { id: doc.id });
  });

  it('lets a bound user read shared documents but not change them', async () => {
    const session = tokenSession();
    await must(world.backend, 'users.update', {
      id: (await must(world.backend, 'users.list', { search: 'user-b@' }))[0]?.id,
      pages: ['knowledge'],
    });
    await must(world.backend, 'session.signIn', { email: 'user-b@example.com', password: PASSWORD }, session);
    const { shared } = await must(world.backend, 'knowledge.list', { orgId: world.orgs.b.id }, session);
    const sharedDoc = shared[0];
    expect(sharedDoc?.title).toBe('owner-shared-b');
    const read = await must(world.backend, 'knowledge.get', { id: sharedDoc?.id }, session);
    expect(read).toMatchObject({ readOnly: true, body: 'The sharedbeta playbook.' });
    const edit = await world.backend.router.call(
      'knowledge.update',
      { id: sharedDoc?.id, title: 'mine' },
      session,
    );
    expect(edit).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const overview = await world.backend.router.call('knowledge.overview', {}, session);
    expect(overview).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('searches every org the caller sees without an orgId, each hit naming its org, and no other org', async () => {
    const everywhere = await must(world.backend, 'knowledge.search', { query: 'procedure' });
    expect(everywhere.map((hit) => [hit.doc.title, hit.doc.org.name]).sort()).toEqual([
      ['a-runbook', world.orgs.a.name],
      ['b-runbook', world.orgs.b.name],
      ['c-runbook', world.orgs.c.name],
    ]);
    expect(everywhere.every((hit) => !hit.shared)).toBe(true);

    // A user holding A and B finds theirs and what is shared with them, never C's or the owner's own.
    const session = tokenSession();
    const userA = (await must(world.backend, 'users.list', { search: 'user-a@' }))[0];
    await must(world.backend, 'users.update', {
      id: userA?.id,
      pages: ['knowledge'],
      memberships: [
        { orgId: world.orgs.a.id, role: 'member' },
        { orgId: world.orgs.b.id, role: 'viewer' },
      ],
    });
    await must(world.backend, 'session.signIn', { email: 'user-a@example.com', password: PASSWORD }, session);
    const search = (query: string) => must(world.backend, 'knowledge.search', { query }, session);
    expect((await search('procedure')).map((hit) => hit.doc.title).sort()).toEqual([
      'a-runbook',
      'b-runbook',
    ]);
    expect((await search('csecretword')).map((hit) => hit.doc.title)).toEqual([]);
    expect((await search('ownerprivate')).map((hit) => hit.doc.title)).toEqual([]);
    expect(await search('sharedbeta')).toEqual([
      expect.objectContaining({ doc: expect.objectContaining({ title: 'owner-shared-b' }), shared: true }),
    ]);
  });

  it('extracts the text of .md, .html and .pdf files, and refuses other kinds', async () => {
    const files: Record<string, Buffer> = {
      'guide.md': Buffer.from('# Onboarding guide\nStep one: wombatword.'),
      'page.html': Buffer.from(
        '<html><head><title>Web page</title></head><body><p>The <b>kiwiword</b> rule.</p></body></html>',
      ),
      'scan.pdf': tinyPdf('The narwhalword memo'),
      'sheet.xlsx': Buffer.from('nope'),
    };
    const added: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(join(world.dataDir, name), bytes);
      const { uploadId } = await must(world.backend, 'uploads.begin', { fileName: name, size: bytes.length });
      await must(world.backend, 'uploads.chunk', { uploadId, offset: 0, data: bytes.toString('base64') });
      const envelope = await world.backend.router.call(
        'knowledge.importFile',
        { orgId: world.orgs.c.id, uploadId },
        ownerSession(),
      );
      added[name] = envelope.ok
        ? (envelope.data as { title: string }).title
        : `refused: ${envelope.error.code}`;
    }
    expect(added).toEqual({
      'guide.md': 'Onboarding guide',
      'page.html': 'Web page',
      'scan.pdf': 'scan',
      'sheet.xlsx': 'refused: VALIDATION',
    });
    expect(await titles(world.orgs.c.id, 'wombatword')).toEqual(['Onboarding guide']);
    expect(await titles(world.orgs.c.id, 'kiwiword')).toEqual(['Web page']);
    expect(await titles(world.orgs.c.id, 'narwhalword')).toEqual(['scan']);
  });

  it('refuses a file whose text is over the 2 MB a document may hold, naming the file, and adds nothing', async () => {
    const bytes = Buffer.from(`# Huge\n${'x'.repeat(MAX_BODY_CHARS)}`);
    const { uploadId } = await must(world.backend, 'uploads.begin', {
      fileName: 'huge.txt',
      size: bytes.length,
    });
    const chunk = 512 * 1024;
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      const data = bytes.subarray(offset, offset + chunk).toString('base64');
      await must(world.backend, 'uploads.chunk', { uploadId, offset, data });
    }
    const before = (await must(world.backend, 'knowledge.list', { orgId: world.orgs.c.id })).own.length;
    const envelope = await world.backend.router.call(
      'knowledge.importFile',
      { orgId: world.orgs.c.id, uploadId },
      ownerSession(),
    );
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'huge.txt: a document is at most 2 MB of text.' },
    });
    expect((await must(world.backend, 'knowledge.list', { orgId: world.orgs.c.id })).own).toHaveLength(
      before,
    );
  });

  it('stops sharing a document that moves out of the owner org', async () => {
    const doc = await must(world.backend, 'knowledge.add', {
      orgId: ownerOrgId,
      title: 'Traveller',
      body: 'travelword',
    });
    await must(world.backend, 'knowledge.share', { id: doc.id, orgs: 'all' });
    expect(await titles(world.orgs.a.id, 'travelword')).toEqual(['Traveller']);
    const moved = await must(world.backend, 'knowledge.move', { id: doc.id, orgId: world.orgs.c.id });
    expect(moved.sharing).toBeNull();
    expect(await titles(world.orgs.a.id, 'travelword')).toEqual([]);
    expect(await titles(world.orgs.c.id, 'travelword')).toEqual(['Traveller']);
  });
});
