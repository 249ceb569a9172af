import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTextExtractor,
  type ExtractLimits,
  SOURCE_EXTRACT_WORKER,
} from '../../electron/backend/knowledge/extract-text';
import type { CallSession } from '../../electron/backend/router/handler';
import { UPLOAD_LIMITS } from '../../shared/contract/billing';
import {
  buildTenantWorld,
  must,
  ownerSession,
  PASSWORD,
  type TenantWorld,
  tokenSession,
} from '../fixtures/tenants';

const CHUNK = 512 * 1024;

describe('knowledge files are extracted off the request path, within limits', () => {
  let world: TenantWorld;
  let alice: CallSession;

  beforeAll(async () => {
    world = await buildTenantWorld();
    await must(world.backend, 'users.create', {
      email: 'alice@example.com',
      name: 'Alice',
      role: 'user',
      boundOrgId: world.orgs.a.id,
      pages: ['agents', 'knowledge', 'billing', 'guardrails', 'audit', 'settings'],
      password: PASSWORD,
    });
    alice = tokenSession();
    await must(world.backend, 'session.signIn', { email: 'alice@example.com', password: PASSWORD }, alice);
  });
  afterAll(() => world.close());

  async function upload(
    fileName: string,
    bytes: Buffer,
    purpose?: string,
    session: CallSession = alice,
  ): Promise<string> {
    const { uploadId } = await must(
      world.backend,
      'uploads.begin',
      { fileName, size: bytes.length, ...(purpose ? { purpose } : {}) },
      session,
    );
    for (let offset = 0; offset < bytes.length; offset += CHUNK) {
      const data = bytes.subarray(offset, offset + CHUNK).toString('base64');
      await must(world.backend, 'uploads.chunk', { uploadId, offset, data }, session);
    }
    return uploadId;
  }

  const documents = async () =>
    (await must(world.backend, 'knowledge.list', { orgId: world.orgs.a.id }, alice)).own.length;

  it('imports the text of 210,000 nested <div> (2 MB), while other calls are answered meanwhile', async () => {
    const depth = 210_000;
    const html = Buffer.from(
      `<html><title>Nested</title><body>${'<div>'.repeat(depth)}refund policy${'</div>'.repeat(depth)}<p>after</p></body></html>`,
    );
    expect(html.length).toBeGreaterThan(2_000_000);
    const uploadId = await upload('nested.html', html, 'knowledge');
    const before = await documents();

    const finished: string[] = [];
    const importing = world.backend.router
      .call('knowledge.importFile', { orgId: world.orgs.a.id, uploadId }, alice)
      .finally(() => finished.push('import'));
    // Extraction on the request path would block this call until the import is over.
    await must(world.backend, 'knowledge.list', { orgId: world.orgs.a.id }, alice).finally(() =>
      finished.push('knowledge.list'),
    );
    const envelope = await importing;

    expect(envelope).toMatchObject({ ok: true, data: { title: 'Nested' } });
    expect(finished).toEqual(['knowledge.list', 'import']);
    expect(await documents()).toBe(before + 1);
    const id = envelope.ok ? (envelope.data as { id: string }).id : '';
    for (const query of ['refund', 'after']) {
      const hits = await must(world.backend, 'knowledge.search', { orgId: world.orgs.a.id, query }, alice);
      expect(hits.map((hit) => hit.doc.id)).toContain(id);
    }
    expect(readdirSync(join(world.dataDir, 'uploads'))).toEqual([]);
  });

  it('still extracts HTML nested as deep as real pages are, with unclosed paragraphs and list items', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `<li>item ${i}<p>para ${i}`).join('');
    const nested = `${'<section>'.repeat(200)}deepword${'</section>'.repeat(200)}`;
    const html = Buffer.from(`<title>Sloppy</title><ul>${items}</ul><br><img src=x>${nested}`);
    const uploadId = await upload('sloppy.html', html, 'knowledge');
    const doc = await must(
      world.backend,
      'knowledge.importFile',
      { orgId: world.orgs.a.id, uploadId },
      alice,
    );
    expect(doc.title).toBe('Sloppy');
    const hits = await must(
      world.backend,
      'knowledge.search',
      { orgId: world.orgs.a.id, query: 'deepword' },
      alice,
    );
    expect(hits.map((hit) => hit.doc.id)).toEqual([doc.id]);
  });

  it('refuses a knowledge upload over 20 MB when it begins, before a byte is sent', async () => {
    const envelope = await world.backend.router.call(
      'uploads.begin',
      { fileName: 'big.txt', size: UPLOAD_LIMITS.knowledge.bytes + 1, purpose: 'knowledge' },
      alice,
    );
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'A knowledge file is at most 20 MB.' },
    });
    // A usage file of the same size is fine for whoever imports usage (streamed), never for Alice.
    const big = { fileName: 'big.csv', size: UPLOAD_LIMITS.knowledge.bytes + 1, purpose: 'usage' };
    const usage = await world.backend.router.call('uploads.begin', big, ownerSession());
    expect(usage.ok).toBe(true);
    if (usage.ok) await must(world.backend, 'uploads.cancel', usage.data);
    expect(await world.backend.router.call('uploads.begin', big, alice)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You may not import a usage file.' },
    });
  });

  it('does not import an upload started for another purpose, and removes it', async () => {
    const uploadId = await upload('usage.txt', Buffer.from('hello'), 'usage', ownerSession());
    const envelope = await world.backend.router.call(
      'knowledge.importFile',
      { orgId: world.orgs.a.id, uploadId },
      ownerSession(),
    );
    expect(envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(envelope.ok ? '' : envelope.error.message).toMatch(/started for a usage file/);
    expect(readdirSync(join(world.dataDir, 'uploads'))).toEqual([]);
  });

  it('stops a plain-text file as soon as its text is over 2 MB, and removes the upload', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 'a');
    const uploadId = await upload('long.txt', bytes);
    const envelope = await world.backend.router.call(
      'knowledge.importFile',
      { orgId: world.orgs.a.id, uploadId },
      alice,
    );
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'long.txt: a document is at most 2 MB of text.' },
    });
    expect(readdirSync(join(world.dataDir, 'uploads'))).toEqual([]);
  });
});

describe('the extraction thread', () => {
  let world: TenantWorld;
  beforeAll(async () => {
    world = await buildTenantWorld();
  });
  afterAll(() => world.close());

  it('is stopped and the file refused when its text is not out within the time limit', async () => {
    const file = join(world.dataDir, 'slow.md');
    writeFileSync(file, '# Slow\nwords');
    // No thread starts and answers within a millisecond: this stands for a file that takes too long.
    const extract = extractorWith({ timeoutMs: 1 });
    await expect(extract(file, 'slow.md', 'ann')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'slow.md: this file is too large to extract (its text took longer than 0.001 s).',
    });
  });

  it('is stopped and the file refused when it needs more memory than the thread may use', async () => {
    const file = join(world.dataDir, 'wide.html');
    writeFileSync(file, `<table>${'<tr><td>cell</td><td>more</td></tr>'.repeat(400_000)}</table>`);
    const extract = extractorWith({ heapMb: 16 });
    await expect(extract(file, 'wide.html', 'ann')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'wide.html: this file is too large to extract (it needs more than 16 MB of memory).',
    });
  });

  it('refuses a file when as many wait their turn as may, so no one can queue files without end', async () => {
    const file = join(world.dataDir, 'note.md');
    writeFileSync(file, '# Note\nwords');
    const extract = extractorWith({ waiting: 1 });
    // One reads, one waits its turn, the third is refused at once; the two go through.
    const [reading, next, third] = [
      extract(file, 'a.md', 'ann'),
      extract(file, 'b.md', 'bob'),
      extract(file, 'c.md', 'cy'),
    ];
    await expect(third).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'c.md: too many files are being read right now. Add it again in a minute.',
    });
    await expect(Promise.all([reading, next])).resolves.toMatchObject([
      { body: '# Note\nwords' },
      { body: '# Note\nwords' },
    ]);
  });

  it('refuses a reader’s file while as many of theirs are being read as they may have, and not others’', async () => {
    const file = join(world.dataDir, 'mine.md');
    writeFileSync(file, '# Mine\nwords');
    const extract = extractorWith({ perReader: 1 });
    const [first, second, others] = [
      extract(file, 'a.md', 'ann'),
      extract(file, 'b.md', 'ann'),
      extract(file, 'c.md', 'bob'),
    ];
    await expect(second).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'b.md: your other files are still being read. Add it once they are in.',
    });
    await expect(Promise.all([first, others])).resolves.toHaveLength(2);
    // Once hers is in, she may add another.
    await expect(extract(file, 'd.md', 'ann')).resolves.toMatchObject({ title: 'Mine' });
  });

  it('flattens deep nesting inside a <noscript> or <template>, which the HTML parser reads as markup', async () => {
    const extract = createTextExtractor(SOURCE_EXTRACT_WORKER);
    for (const wrapper of ['noscript', 'template']) {
      const file = join(world.dataDir, `${wrapper}.html`);
      // Left open, as a page cut short would: the parser reads on to the end of the file.
      writeFileSync(
        file,
        `<html><body><${wrapper}>${'<div>'.repeat(100_000)}deep words${'</div>'.repeat(100_000)}`,
      );
      await expect(extract(file, `${wrapper}.html`, 'ann')).resolves.toMatchObject({
        body: expect.stringContaining('deep words'),
      });
    }
  });

  it('flattens deep nesting of tags written self-closing, which HTML opens like any other outside <svg>', async () => {
    const file = join(world.dataDir, 'closed.html');
    writeFileSync(file, `<html><body>${'<div/>'.repeat(100_000)}deep words<svg><circle/><circle/></svg>`);
    await expect(
      createTextExtractor(SOURCE_EXTRACT_WORKER)(file, 'closed.html', 'ann'),
    ).resolves.toMatchObject({
      body: expect.stringContaining('deep words'),
    });
  });

  it('is stopped and the file refused when a PDF’s compressed stream would fill the memory outside its heap', async () => {
    // One page whose content is 256 MB of spaces, compressed to about 250 KB: decoded into a buffer,
    // which the thread's heap limit does not count.
    const content = deflateSync(Buffer.alloc(256 * 1024 * 1024, 0x20));
    const file = join(world.dataDir, 'bomb.pdf');
    writeFileSync(file, pdfWithContent(content));
    const extract = extractorWith({ memoryMb: 64, heapMb: 256 });
    await expect(extract(file, 'bomb.pdf', 'ann')).rejects.toMatchObject({
      code: 'VALIDATION',
      message:
        'bomb.pdf: this file is too large to extract (reading it took the server past 64 MB more memory).',
    });
  });
});

/** A one-page PDF whose page content is `content`, FlateDecode-compressed, with a correct xref table. */
function pdfWithContent(content: Buffer): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let at = parts[0]?.length ?? 0;
  const add = (bytes: Buffer) => {
    parts.push(bytes);
    at += bytes.length;
  };
  objects.forEach((body, i) => {
    offsets.push(at);
    add(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`));
  });
  offsets.push(at);
  add(Buffer.from(`4 0 obj\n<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`));
  add(content);
  add(Buffer.from('\nendstream\nendobj\n'));
  const xref = at;
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  add(
    Buffer.from(
      `xref\n0 5\n0000000000 65535 f \n${entries}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

/** An extractor of one thread at a time, with generous limits but those a test sets. */
const extractorWith = (limits: Partial<ExtractLimits>) =>
  createTextExtractor(SOURCE_EXTRACT_WORKER, {
    timeoutMs: 60_000,
    heapMb: 64,
    memoryMb: 1024,
    concurrent: 1,
    waiting: 8,
    perReader: 8,
    ...limits,
  });
