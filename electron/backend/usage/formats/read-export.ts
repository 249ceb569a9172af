import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { UsageSource } from '../../../../shared/domain/usage-identity';
import type { BadRow } from '../import-usage';
import { anthropicBucketFields, anthropicRow } from './anthropic';
import { createJsonStream, type JsonPath, type JsonVisitor } from './json-stream';
import { liteLlmRows } from './litellm';
import { openAiBucketFields, openAiRow } from './openai';
import {
  BadRecord,
  objectOf,
  type ProviderParsed,
  type ProviderUsageRow,
  type ResultReader,
  readRecord,
} from './provider-row';

/** The largest record (a result, a spend-log row) read: anything longer is reported, unread. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;
const TOO_LARGE = `a record longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB of text`;
/** How much of the file is read at a time. */
const CHUNK_BYTES = 1024 * 1024;

/** A record of an export read: a row or why it is none, and the line it starts on. */
export type OnRecord = (parsed: ProviderParsed, line: number) => void;

const NOT_A_PAGE = 'not a usage page: it has no "data" list of time buckets';
const NO_RESULTS = 'a time bucket without a "results" list';

type PageRole = 'pages' | 'page' | 'buckets' | 'bucket' | 'results';

/** A page or bucket whose members are arriving: its fields so far, and results waiting for them. */
interface Holder {
  role: PageRole;
  line: number;
  fields: Record<string, unknown>;
  lists: number;
  waiting: { result: unknown; line: number }[];
}

/**
 * Saved pages of a usage API (`{"object":"page","data":[{bucket, "results":[…]}]}`, a bare bucket,
 * or arrays of them), walked down to each result, which is read with its bucket's fields
 * (`bucketFields`, which a result waits for when its bucket lists them after its results).
 */
function pageVisitor(row: ResultReader, bucketFields: readonly string[], onRecord: OnRecord): JsonVisitor {
  const roles: PageRole[] = [];
  const holders: Holder[] = [];
  let next: PageRole = 'pages';
  const holder = () => holders[holders.length - 1];
  const last = (path: JsonPath) => path[path.length - 1];

  const read = (result: unknown, bucket: Record<string, unknown>, line: number) =>
    onRecord(
      readRecord(() => {
        const fields = objectOf(result);
        if (fields === undefined) throw new BadRecord('a result that is not a JSON object');
        return row(fields, bucket);
      }),
      line,
    );
  const ready = (fields: Record<string, unknown>) => bucketFields.every((field) => field in fields);

  return {
    walk(path, kind) {
      const parent = roles[roles.length - 1];
      const role: PageRole | undefined =
        parent === undefined || parent === 'pages'
          ? kind === 'array'
            ? 'pages'
            : 'page'
          : parent === 'page' && kind === 'array' && last(path) === 'data'
            ? 'buckets'
            : (parent === 'page' || parent === 'bucket') && kind === 'array' && last(path) === 'results'
              ? 'results'
              : parent === 'buckets' && kind === 'object'
                ? 'bucket'
                : undefined;
      if (role === undefined) return false;
      next = role;
      return true;
    },
    open(_path, _kind, line) {
      roles.push(next);
      if (next === 'page' || next === 'bucket')
        holders.push({ role: next, line, fields: {}, lists: 0, waiting: [] });
      else if (next === 'buckets' || next === 'results') (holder() as Holder).lists++;
    },
    value(path, value, line) {
      const parent = roles[roles.length - 1];
      if (parent === undefined || parent === 'pages') onRecord('not a JSON object', line);
      else if (parent === 'buckets') onRecord(NO_RESULTS, line);
      else if (parent === 'results') {
        const bucket = holder() as Holder;
        if (ready(bucket.fields)) read(value, bucket.fields, line);
        else bucket.waiting.push({ result: value, line });
      } else (holder() as Holder).fields[last(path) as string] = value;
    },
    close() {
      const role = roles.pop();
      if (role !== 'page' && role !== 'bucket') return;
      const done = holders.pop() as Holder;
      if (done.lists === 0) onRecord(role === 'page' ? NOT_A_PAGE : NO_RESULTS, done.line);
      for (const { result, line } of done.waiting) read(result, done.fields, line);
    },
    tooLarge: (_path, line) => onRecord(TOO_LARGE, line),
    invalid(line) {
      roles.length = 0;
      holders.length = 0;
      onRecord('not valid JSON', line);
    },
  };
}

type LogRole = 'list' | 'root' | 'data';

/** LiteLLM's spend logs: rows, arrays of rows, `{"data":[rows]}`, walked down to each row. */
function spendLogVisitor(onRecord: OnRecord): JsonVisitor {
  const roles: LogRole[] = [];
  let root: { fields: Record<string, unknown>; line: number; data: boolean; tooLarge: boolean } | undefined;
  let next: LogRole = 'list';
  const emit = (value: unknown, line: number) => {
    for (const parsed of liteLlmRows(value)) onRecord(parsed, line);
  };
  return {
    walk(path, kind) {
      const parent = roles[roles.length - 1];
      let role: LogRole | undefined;
      if (kind === 'array' && parent !== 'root') role = 'list';
      else if (parent === undefined) role = 'root';
      else if (parent === 'root' && kind === 'array' && path[path.length - 1] === 'data') role = 'data';
      if (role === undefined) return false;
      next = role;
      return true;
    },
    open(_path, _kind, line) {
      roles.push(next);
      if (next === 'root') root = { fields: {}, line, data: false, tooLarge: false };
      else if (next === 'data' && root !== undefined) root.data = true;
    },
    value(path, value, line) {
      const parent = roles[roles.length - 1];
      if (parent === 'root' && root !== undefined) root.fields[path[path.length - 1] as string] = value;
      else emit(value, line);
    },
    close() {
      const role = roles.pop();
      if (role !== 'root' || root === undefined) return;
      // A top-level object that listed its rows under "data" was a page of them; else it is a row,
      // whole or not at all.
      if (root.tooLarge) onRecord(TOO_LARGE, root.line);
      else if (!root.data) emit(root.fields, root.line);
      root = undefined;
    },
    tooLarge(path, line) {
      if (roles[roles.length - 1] === 'root' && path.length === 1 && root !== undefined) root.tooLarge = true;
      else onRecord(TOO_LARGE, line);
    },
    invalid(line) {
      roles.length = 0;
      root = undefined;
      onRecord('not valid JSON', line);
    },
  };
}

/**
 * A reader of one provider's export, fed its text in pieces: one document (a page, or an array),
 * or one value per line (pages or spend-log rows saved as JSON Lines). Each record is handed to
 * `onRecord` as soon as it is read; none is kept.
 */
export function providerExportReader(format: UsageSource, onRecord: OnRecord) {
  const visitor =
    format === 'litellm'
      ? spendLogVisitor(onRecord)
      : format === 'openai'
        ? pageVisitor(openAiRow, openAiBucketFields, onRecord)
        : pageVisitor(anthropicRow, anthropicBucketFields, onRecord);
  const stream = createJsonStream(visitor, MAX_RECORD_CHARS);
  let first = true;
  return {
    write(text: string): void {
      stream.write(first ? text.replace(/^\uFEFF/, '') : text);
      first = false;
    },
    end: stream.end,
  };
}

/**
 * Reads the export at `path` a chunk at a time (synchronously: the caller holds one write
 * transaction across it), handing each record over as it goes and each chunk's end to `onBytes`.
 */
export function readProviderFile(
  path: string,
  format: UsageSource,
  onRecord: OnRecord,
  onBytes: (bytesRead: number) => void = () => {},
): void {
  const reader = providerExportReader(format, onRecord);
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(CHUNK_BYTES);
  const file = openSync(path, 'r');
  try {
    let total = 0;
    for (;;) {
      const read = readSync(file, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      total += read;
      reader.write(decoder.write(buffer.subarray(0, read)));
      onBytes(total);
    }
    reader.write(decoder.end());
    reader.end();
  } finally {
    closeSync(file);
  }
}

export interface ProviderExport {
  rows: ProviderUsageRow[];
  /** Records that are not usage rows, by the line their value starts on. */
  bad: BadRow[];
}

/** Reads a provider's export held in memory (a small one: tests, previews) in our rows' vocabulary. */
export function readProviderExport(text: string, format: UsageSource): ProviderExport {
  const rows: ProviderUsageRow[] = [];
  const bad: BadRow[] = [];
  const reader = providerExportReader(format, (parsed, line) => {
    if (typeof parsed === 'string') bad.push({ line, reason: parsed });
    else rows.push(parsed);
  });
  reader.write(text);
  reader.end();
  return { rows, bad };
}
