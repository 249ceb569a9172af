// Issue 14, finding 1: archives are streamed, never read whole. An org archive of about 45 MB
// (a real export's org, agent and stay, with 2,000 usage days and 4,500 audit entries of 10 KB
// each) is uploaded, previewed and imported by a process whose JavaScript heap is capped at 64 MB:
// reading it whole (a 45 MB string, then its parse, as large again) cannot fit, and did not before
// the import streamed (that process died out of memory). 48 MB left the streamed import too little
// room for the backend's own start-up and ran out now and then.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { assign, createAgent, createOrg, openBillingWorld } from '../fixtures/billing';
import { runBoundedImport } from '../fixtures/run-bounded';

const HEAP_MB = 64;
const USAGE_DAYS = 2_000;
const AUDIT_ENTRIES = 4_500;

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A real export of a small org, its usage and trail replaced by many generated records. */
async function writeArchive(file: string): Promise<void> {
  const world = openBillingWorld('2026-10-20T00:00:00Z');
  let archive: Record<string, unknown>;
  try {
    const org = await createOrg(world, 'Bulk', '30.00');
    const agent = await createAgent(world, 'bulk-bot');
    await assign(world, agent.id, org.id, '2026-01-01T00:00:00Z');
    archive = JSON.parse((await world.call('orgs.export', { id: org.id })).content);
  } finally {
    world.cleanup();
  }
  const agentId = (archive.agents as { id: string }[])[0]?.id;
  const fd = openSync(file, 'w');
  const { usageDaily: _usage, audit: _audit, ...head } = archive;
  writeSync(fd, `${JSON.stringify(head).slice(0, -1)},"usageDaily":[`);
  const day = (i: number) =>
    new Date(Date.UTC(2026, 0, 1) + (i % 500) * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < USAGE_DAYS; i++)
    writeSync(
      fd,
      `${i > 0 ? ',' : ''}${JSON.stringify({ model: `model-${Math.floor(i / 500)}`, day: day(i), agentId, inputTokens: 1_000, outputTokens: 10, records: 1 })}`,
    );
  writeSync(fd, '],"audit":[');
  const note = 'x'.repeat(10_000);
  for (let i = 0; i < AUDIT_ENTRIES; i++)
    writeSync(
      fd,
      `${i > 0 ? ',' : ''}${JSON.stringify({ id: i + 1, at: '2026-02-01T00:00:00.000Z', actorId: null, actorLabel: 'owner', action: 'org.updated', targetType: 'org', targetId: 'x', summary: { note } })}`,
    );
  writeSync(fd, ']}');
  closeSync(fd);
}

it(`previews and imports a 45 MB org archive in a process with a ${HEAP_MB} MB heap`, async () => {
  dir = mkdtempSync(join(tmpdir(), 'orgdeck-bounded-archive-'));
  const file = join(dir, 'bulk.json');
  await writeArchive(file);
  const { code, out, err } = await runBoundedImport(HEAP_MB, ['archive', join(dir, 'data'), file]);
  expect(code, err.slice(-2000)).toBe(0);
  const { preview, applied, auditTotal, maxRssBytes } = JSON.parse(out);
  expect(preview.counts).toMatchObject({ agents: 1, usageRows: USAGE_DAYS, auditEntries: AUDIT_ENTRIES });
  expect(applied.org.slug).toBe('bulk');
  // The archive's trail, and the import itself.
  expect(auditTotal).toBe(AUDIT_ENTRIES + 1);
  console.info(`org archive, ${HEAP_MB} MB heap: peak RSS ${Math.round(maxRssBytes / 1024 / 1024)} MB`);
}, 60_000);
