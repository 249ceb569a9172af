import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BillingWorld, openBillingWorld } from '../fixtures/billing';
import { ownerSession } from '../fixtures/tenants';

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
