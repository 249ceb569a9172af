import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type * as z from 'zod';
import { AppError } from '../../../shared/contract/envelope';
import type { ImportCounts } from '../../../shared/contract/transfer';
import { createJsonStream, type JsonPath, type JsonVisitor } from '../usage/formats/json-stream';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type ArchiveIssue,
  ArchiveShape,
  createArchiveChecks,
  type OrgArchive,
} from './org-archive';

/** The sections an import writes as it reads them, one record at a time, never holding them. */
export const STREAMED_SECTIONS = ['policies', 'knowledge', 'prices', 'usageDaily', 'audit'] as const;
export type StreamedSection = (typeof STREAMED_SECTIONS)[number];
/** The sections held while importing: the org's people, agents and their stays, which the rest refer to. */
const HELD_LISTS = ['inactivePeriods', 'users', 'agents', 'assignments'] as const;
type HeldList = (typeof HELD_LISTS)[number];
const LISTS: readonly string[] = [...HELD_LISTS, ...STREAMED_SECTIONS];

/** The longest record read (a knowledge document's text is at most 2 MB, escaped up to 6 times). */
export const MAX_ARCHIVE_RECORD_CHARS = 16 * 1024 * 1024;
/**
 * How much of the file is read, and its records parsed and checked, at a time: the thread answers
 * other calls between chunks, and 128 KiB (some 500 daily usage rows) takes ~15 ms to parse here,
 * where 1 MiB held every call waiting ~120 ms.
 */
const CHUNK_BYTES = 128 * 1024;
/** Problems an error lists. */
const MAX_ISSUES = 20;

/** An archive without its streamed sections: what an import holds from its preview to its end. */
export type ArchiveHead = Omit<OrgArchive, StreamedSection>;

/** A streamed section's record, checked, as the archive's types give it. */
export type ArchiveRecord = {
  [S in StreamedSection]: { section: S; value: OrgArchive[S][number] };
}[StreamedSection];

/** What a preview learned of an archive file: enough to plan and later apply its import. */
export interface ScannedArchive {
  head: ArchiveHead;
  counts: ImportCounts;
  /** Each price's model and first day, to know which this install lacks. */
  prices: Pick<OrgArchive['prices'][number], 'model' | 'effectiveFrom'>[];
  /** Whether the audit trail comes after the sections whose ids its entries name. */
  auditLast: boolean;
  /** SHA-256 of the file, so the import reads the very file the preview read. */
  digest: string;
}

/** The sections' sizes that are counted as records stream by. */
export type StreamedCounts = Pick<
  ImportCounts,
  'policies' | 'policyVersions' | 'knowledge' | 'usageRows' | 'prices' | 'auditEntries'
>;

/** What an archive holds, by kind: its held sections counted, the streamed ones as read. */
export function countsOfHead(head: ArchiveHead, streamed: StreamedCounts): ImportCounts {
  return {
    users: head.users.length,
    agents: head.agents.filter((agent) => agent.current).length,
    formerAgents: head.agents.filter((agent) => !agent.current).length,
    assignments: head.assignments.length,
    inactivePeriods: head.inactivePeriods.length,
    closedMonths: head.closedMonths.length,
    ...streamed,
  };
}

const NOT_JSON = () => new AppError('VALIDATION', 'The file is not an Orgdeck org archive: it is not JSON.');

/**
 * Reads an archive's text as it comes, checking every record with the archive's schemas and the
 * whole with its cross-record rules; `onRecord` gets each streamed section's records, checked.
 * `finish` throws a VALIDATION error a person can act on (the first problem, by its place) or
 * returns what was learned.
 */
function archiveReader(onRecord: (record: ArchiveRecord) => void) {
  const fields: Partial<Record<string, unknown>> = {};
  const held: Record<HeldList, unknown[]> = { inactivePeriods: [], users: [], agents: [], assignments: [] };
  const present = new Set<string>();
  const order: string[] = [];
  const issues: ArchiveIssue[] = [];
  const checks = createArchiveChecks();
  const prices: ScannedArchive['prices'] = [];
  const streamed: StreamedCounts = {
    policies: 0,
    policyVersions: 0,
    knowledge: 0,
    usageRows: 0,
    prices: 0,
    auditEntries: 0,
  };
  let roots = 0;
  let rootIsObject = false;

  /** The first problems found, as many as an error reports: a file of nothing but bad records holds no more. */
  const note = (issue: ArchiveIssue) => {
    if (issues.length < MAX_ISSUES) issues.push(issue);
  };
  const checked = (schema: z.ZodType, value: unknown, path: (string | number)[]): unknown => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues)
      note({
        path: [...path, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
        message: issue.message,
      });
    return undefined;
  };
  const elementOf = (section: string) =>
    (ArchiveShape[section as keyof typeof ArchiveShape] as unknown as z.ZodArray<z.ZodType>).element;

  const shapeOf = (field: string) => ArchiveShape[field as keyof typeof ArchiveShape] as unknown as z.ZodType;

  function member(section: string, index: number, value: unknown): void {
    const record = checked(elementOf(section), value, [section, index]);
    if (record === undefined) return;
    if ((HELD_LISTS as readonly string[]).includes(section)) {
      held[section as HeldList].push(record);
      return;
    }
    switch (section as StreamedSection) {
      case 'policies': {
        const policy = record as OrgArchive['policies'][number];
        checks.id(policy.id);
        streamed.policies++;
        streamed.policyVersions += policy.versions.length;
        break;
      }
      case 'knowledge':
        checks.id((record as OrgArchive['knowledge'][number]).id);
        streamed.knowledge++;
        break;
      case 'prices': {
        const price = record as OrgArchive['prices'][number];
        checks.price(price);
        prices.push({ model: price.model, effectiveFrom: price.effectiveFrom });
        streamed.prices++;
        break;
      }
      case 'usageDaily':
        checks.usageRow(record as OrgArchive['usageDaily'][number], index);
        streamed.usageRows++;
        break;
      case 'audit':
        checks.auditEntry(record as OrgArchive['audit'][number], index);
        streamed.auditEntries++;
        break;
    }
    onRecord({ section, value: record } as ArchiveRecord);
  }

  const visitor: JsonVisitor = {
    walk: (path: JsonPath, kind) =>
      path.length === 0
        ? kind === 'object'
        : path.length === 1 && kind === 'array' && LISTS.includes(path[0] as string),
    open(path) {
      if (path.length === 0) {
        if (roots++ > 0) throw NOT_JSON();
        rootIsObject = true;
      } else {
        present.add(path[0] as string);
        order.push(path[0] as string);
      }
    },
    value(path, value) {
      if (path.length === 0) {
        if (roots++ > 0) throw NOT_JSON();
        return;
      }
      if (path.length === 2) {
        member(path[0] as string, path[1] as number, value);
        return;
      }
      const field = path[0] as string;
      present.add(field);
      order.push(field);
      if (!(field in ArchiveShape)) {
        note({ path: [], message: `Unrecognized key: "${field}"` });
        return;
      }
      if (field === 'format' || field === 'version') fields[field] = value;
      else fields[field] = checked(shapeOf(field), value, [field]);
    },
    close() {},
    tooLarge(path) {
      if (path.length === 0) roots++;
      else
        note({
          path: [...path],
          message: `longer than ${MAX_ARCHIVE_RECORD_CHARS / 1024 / 1024} MiB of text`,
        });
    },
    invalid() {
      throw NOT_JSON();
    },
  };
  const stream = createJsonStream(visitor, MAX_ARCHIVE_RECORD_CHARS);

  return {
    write: stream.write,
    finish(digest: string): ScannedArchive {
      stream.end();
      if (roots === 0) throw NOT_JSON();
      if (!rootIsObject || fields.format !== ARCHIVE_FORMAT || typeof fields.version !== 'number')
        throw new AppError(
          'VALIDATION',
          `The file is not an Orgdeck org archive (format "${ARCHIVE_FORMAT}").`,
        );
      if (fields.version !== ARCHIVE_VERSION) {
        throw new AppError(
          'VALIDATION',
          `The archive is format version ${fields.version}; this Orgdeck reads version ${ARCHIVE_VERSION}.${fields.version > ARCHIVE_VERSION ? ' Update Orgdeck to import it.' : ''}`,
        );
      }
      for (const field of Object.keys(ArchiveShape))
        if (!present.has(field)) checked(shapeOf(field), undefined, [field]);
      const head = { ...fields, ...held } as ArchiveHead;
      if (issues.length === 0) for (const issue of checks.issues(head)) note(issue);
      const first = issues[0];
      if (first !== undefined) {
        const where = first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
        throw new AppError(
          'VALIDATION',
          `The org archive is damaged${where}: ${first.message}. Nothing was imported.`,
          { issues },
        );
      }
      const position = (section: string) => order.indexOf(section);
      return {
        head,
        counts: countsOfHead(head, streamed),
        prices,
        auditLast: position('audit') > Math.max(position('knowledge'), position('policies')),
        digest,
      };
    },
  };
}

/** Checks the archive at `path`, reading it a chunk at a time; holds none of its streamed sections. */
export async function scanArchive(path: string): Promise<ScannedArchive> {
  const reader = archiveReader(() => {});
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    reader.write(decoder.write(chunk));
  }
  reader.write(decoder.end());
  return reader.finish(hash.digest('hex'));
}

/** Throws unless the archive read again is the one its preview read. */
function sameAsPreviewed(digest: string, scanned: ScannedArchive): void {
  if (digest !== scanned.digest)
    throw new AppError('CONFLICT', 'The archive changed since its preview: upload it and preview it again.');
}

/**
 * Reads the archive a preview scanned again, synchronously (inside the import's transaction),
 * handing each record of `sections` to `onRecord` as it is read; throws, and so rolls the import
 * back, if the file is no longer the one the preview read.
 */
export function readArchiveRecords(
  path: string,
  scanned: ScannedArchive,
  sections: ReadonlySet<StreamedSection>,
  onRecord: (record: ArchiveRecord) => void,
): void {
  const reader = archiveReader((record) => {
    if (sections.has(record.section)) onRecord(record);
  });
  const hash: Hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(CHUNK_BYTES);
  const file = openSync(path, 'r');
  try {
    for (;;) {
      const read = readSync(file, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      reader.write(decoder.write(buffer.subarray(0, read)));
    }
  } finally {
    closeSync(file);
  }
  reader.write(decoder.end());
  sameAsPreviewed(reader.finish(hash.digest('hex')).digest, scanned);
}

/**
 * The same, a chunk of the file at a time without holding the thread: hands the records of
 * `sections` each chunk holds to `onRecords`, and reads on once it has settled. Throws, after the
 * last chunk's records, if the file is no longer the one the preview read.
 */
export async function readArchiveRecordsInTurns(
  path: string,
  scanned: ScannedArchive,
  sections: ReadonlySet<StreamedSection>,
  onRecords: (records: ArchiveRecord[]) => Promise<void>,
): Promise<void> {
  let records: ArchiveRecord[] = [];
  const reader = archiveReader((record) => {
    if (sections.has(record.section)) records.push(record);
  });
  const handOn = async () => {
    const read = records;
    records = [];
    if (read.length > 0) await onRecords(read);
  };
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    reader.write(decoder.write(chunk));
    await handOn();
  }
  reader.write(decoder.end());
  await handOn();
  sameAsPreviewed(reader.finish(hash.digest('hex')).digest, scanned);
}
