import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import { type MembershipRole, PAGES } from '../../shared/domain/permissions';
import { type BillingWorld, createOrg, csvOf, openBillingWorld } from '../fixtures/billing';
import { ownerSession, PASSWORD, tokenSession } from '../fixtures/tenants';

const uploadsIn = (world: BillingWorld) =>
  existsSync(join(world.dataDir, 'uploads')) ? readdirSync(join(world.dataDir, 'uploads')) : [];

describe('unfinished uploads', () => {
  let world: BillingWorld;
  beforeEach(() => {
    world = openBillingWorld('2026-04-10T09:00:00Z');
  });
  afterEach(() => world.cleanup());

  /** The call's envelope, refused or not. */
  const attempt = (name: 'uploads.begin' | 'uploads.chunk', input: unknown) =>
    world.backend.router.call(name, input, ownerSession());

  async function openEight(): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { uploadId } = await world.call('uploads.begin', { fileName: `part-${i}.csv`, size: 10 });
      await world.call('uploads.chunk', { uploadId, offset: 0, data: Buffer.from('abc').toString('base64') });
      ids.push(uploadId);
    }
    return ids;
  }

  it('are limited to 8 per user; cancelling one frees its place and removes what was sent', async () => {
    const ids = await openEight();
    expect(uploadsIn(world)).toHaveLength(8);
    const refused = await attempt('uploads.begin', { fileName: 'ninth.csv', size: 10 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });

    await world.call('uploads.cancel', { uploadId: ids[0] });
    expect(uploadsIn(world)).toHaveLength(7);
    const gone = await attempt('uploads.chunk', {
      uploadId: ids[0],
      offset: 3,
      data: Buffer.from('def').toString('base64'),
    });
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await world.call('uploads.begin', { fileName: 'ninth.csv', size: 10 });
  });

  it('refuse an empty chunk, and go on from where they stood', async () => {
    const { uploadId } = await world.call('uploads.begin', { fileName: 'usage.csv', size: 6 });
    expect(await attempt('uploads.chunk', { uploadId, offset: 0, data: '' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    const data = Buffer.from('abcdef').toString('base64');
    expect(await attempt('uploads.chunk', { uploadId, offset: 0, data })).toMatchObject({
      ok: true,
      data: { received: 6 },
    });
  });

  it('are dropped after 30 idle minutes, so a closed window does not hold a place for ever', async () => {
    await openEight();
    world.clock.set('2026-04-10T09:29:00Z');
    const early = await attempt('uploads.begin', { fileName: 'x.csv', size: 10 });
    expect(early).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    world.clock.set('2026-04-10T09:31:00Z');
    await world.call('uploads.begin', { fileName: 'x.csv', size: 10 });
    expect(uploadsIn(world)).toEqual([]);
  });
});

describe('upload files', () => {
  let world: BillingWorld;
  beforeEach(() => {
    world = openBillingWorld('2026-04-10T09:00:00Z');
  });
  afterEach(() => world.cleanup());

  async function uploaded(fileName: string, text: string, purpose: string): Promise<string> {
    const { uploadId } = await world.call('uploads.begin', {
      fileName,
      size: Buffer.byteLength(text),
      purpose,
    });
    await world.call('uploads.chunk', { uploadId, offset: 0, data: Buffer.from(text).toString('base64') });
    return uploadId;
  }

  /** A process that has ended: its id names no live process (for a while at least). */
  function endedPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '']);
    return new Promise((resolve) => child.once('exit', () => resolve(child.pid as number)));
  }

  it('go as soon as the import that used them finishes or fails', async () => {
    const usage = csvOf([
      { timestamp: '2026-04-01T00:00:00Z', agent: 'nobody', model: 'm', input_tokens: 1, output_tokens: 1 },
    ]);
    const job = await world.call('usage.import', { uploadId: await uploaded('usage.csv', usage, 'usage') });
    for (let now = job; now.status === 'running'; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      now = await world.call('jobs.get', { id: job.id });
    }
    expect(uploadsIn(world)).toEqual([]);

    const org = await world.call('orgs.create', { name: 'Docs' });
    await world.call('knowledge.importFile', {
      orgId: org.id,
      uploadId: await uploaded('ok.md', '# Fine', 'knowledge'),
    });
    expect(uploadsIn(world)).toEqual([]);
    const failed = await world.backend.router.call(
      'knowledge.importFile',
      { orgId: org.id, uploadId: await uploaded('bad.pdf', 'not a pdf', 'knowledge') },
      ownerSession(),
    );
    expect(failed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(uploadsIn(world)).toEqual([]);
  });

  it('that no live upload owns are removed at a start; those of another running process stay', async () => {
    const dir = join(world.dataDir, 'uploads');
    mkdirSync(dir, { recursive: true });
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      const live = `${sleeper.pid}-${randomUUID()}`;
      const orphan = `${await endedPid()}-${randomUUID()}`;
      // From an Orgdeck before files carried their process id, and written just now: not a day old.
      const unnamed = randomUUID();
      for (const name of [live, orphan, unnamed]) writeFileSync(join(dir, name), 'partial');
      world.reopen();
      expect(uploadsIn(world)).toEqual([live]);
    } finally {
      sleeper.kill('SIGKILL');
    }
    await new Promise((resolve) => sleeper.once('exit', resolve));
    world.reopen();
    expect(uploadsIn(world)).toEqual([]);
  });

  it('are all swept at a start, though a running process removes one of its own meanwhile', async () => {
    const dir = join(world.dataDir, 'uploads');
    mkdirSync(dir, { recursive: true });
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      // Listed, then gone before it is looked at: a link to nothing stands for that moment.
      const vanishing = `${sleeper.pid}-${randomUUID()}`;
      symlinkSync(join(dir, 'nothing-here'), join(dir, vanishing));
      const ended = await endedPid();
      for (let i = 0; i < 20; i++) writeFileSync(join(dir, `${ended}-${randomUUID()}`), 'partial');
      world.reopen();
      expect(uploadsIn(world)).toEqual([vanishing]);
    } finally {
      sleeper.kill('SIGKILL');
    }
    await new Promise((resolve) => sleeper.once('exit', resolve));
  });

  it('of a process killed with SIGKILL during knowledge.importFile are removed at the next start', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    world.backend.close();
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'test/fixtures/import-until-killed.ts'), world.dataDir],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('importing')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`The importing process ended first (${code}).`)));
    });
    // The import has taken the upload once the file is the process's own (an untaken upload stays,
    // resumable, in the store).
    while (!uploadsIn(world).some((name) => name.startsWith(`${child.pid}-`)))
      await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(uploadsIn(world)).toHaveLength(1);

    world.reopen();
    expect(uploadsIn(world)).toEqual([]);
  }, 60_000);
});

describe('who may upload', () => {
  let world: BillingWorld;
  beforeEach(() => {
    world = openBillingWorld('2026-04-10T09:00:00Z');
  });
  afterEach(() => world.cleanup());

  /** A `user` of the console holding `role` in a new org, signed in, with every page. */
  async function clientWith(role: MembershipRole): Promise<CallSession> {
    const org = await createOrg(world, `Org of a ${role}`, '10.00');
    const email = `${role}@client.test`;
    await world.call('users.create', {
      email,
      name: role,
      role: 'user',
      pages: [...PAGES],
      password: PASSWORD,
    });
    await world.call('members.put', { email, orgId: org.id, role });
    const session = tokenSession();
    await world.call('session.signIn', { email, password: PASSWORD }, session);
    return session;
  }
  const codeOf = async (session: CallSession, input: object) => {
    const envelope = await world.backend.router.call('uploads.begin', { fileName: 'f', ...input }, session);
    return envelope.ok ? 'begun' : envelope.error.code;
  };
  const MB = 1024 * 1024;

  it('refuses a client viewer every upload: nothing of theirs imports a file, and its bytes would fill the disk', async () => {
    const viewer = await clientWith('viewer');
    expect(await codeOf(viewer, { size: 10 })).toBe('FORBIDDEN');
    expect(await codeOf(viewer, { size: 10, purpose: 'knowledge' })).toBe('FORBIDDEN');
    expect(uploadsIn(world)).toEqual([]);
  });

  it('sizes what each user may have open by what they may import: a manager knowledge files, an owner usage files', async () => {
    const manager = await clientWith('manager');
    expect(await codeOf(manager, { size: 10, purpose: 'usage' })).toBe('FORBIDDEN');
    expect(await codeOf(manager, { size: 21 * MB })).toBe('VALIDATION');
    expect(await codeOf(manager, { size: 20 * MB, purpose: 'knowledge' })).toBe('begun');
    expect(await codeOf(manager, { size: 20 * MB })).toBe('begun');
    // Two of the largest file they may send, then no more until one is finished or cancelled.
    expect(await codeOf(manager, { size: 1, purpose: 'knowledge' })).toBe('RATE_LIMITED');

    const owner = ownerSession();
    expect(await codeOf(owner, { size: 2 ** 31, purpose: 'usage' })).toBe('begun');
    expect(await codeOf(owner, { size: 2 ** 31 })).toBe('begun');
    expect(await codeOf(owner, { size: 1 })).toBe('RATE_LIMITED');
  });
});
