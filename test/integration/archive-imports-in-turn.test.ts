// Org archive imports run one at a time: the end of one may re-price (the prices it adds), summing
// a month again from its days, which must not read the days another import is still writing.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createAuditLog } from '../../electron/backend/services/audit-log';
import { createUsageRewrites } from '../../electron/backend/services/usage-rewrites';
import { systemClock } from '../../electron/backend/store/clock';
import { openStore, type Store } from '../../electron/backend/store/store';
import { makeTempDir, removeDir } from '../fixtures/backend';

let dir: string;
let store: Store;
afterEach(() => {
  store.close();
  removeDir(dir);
});

it('starts an org archive import once the one under way has ended', async () => {
  dir = makeTempDir('orgdeck-archive-turns-');
  store = openStore(join(dir, 'orgdeck.db'));
  const rewrites = createUsageRewrites(store, systemClock, createAuditLog(store, systemClock));
  const order: string[] = [];
  let endFirst = () => {};
  const firstHeld = new Promise<void>((resolve) => (endFirst = resolve));

  const first = rewrites.archiveImport(async () => {
    order.push('first writes its days');
    await firstHeld;
    order.push('first ends');
  });
  const second = rewrites.archiveImport(async () => void order.push('second writes its days'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(order).toEqual(['first writes its days']);

  endFirst();
  await Promise.all([first, second]);
  expect(order).toEqual(['first writes its days', 'first ends', 'second writes its days']);
});
