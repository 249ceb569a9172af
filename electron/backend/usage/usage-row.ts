import { DAY_MS } from '../../../shared/domain/days';
import { TIERS } from '../../../shared/domain/token-pricing';
import type { CsvColumns } from './csv-line-bytes';

/**
 * Why `value`, read from `field`, is refused when it is a whole number past 2^53: JSON numbers that
 * large were rounded as the line was read, so two could read as one. Undefined for any other value.
 */
export const unsafeNumberIn = (value: unknown, field: string): string | undefined =>
  typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)
    ? `${field} is a number too large to read exactly (over 9,007,199,254,740,991): write it as text, in quotes`
    : undefined;

/** One usage record as read from a CSV or JSON Lines file, or made by a provider export's parser. */
export interface UsageRow {
  timestamp: number;
  agent: string;
  model: string;
  /** Input read from no cache and written to none. */
  inputTokens: number;
  /** All output, reasoning included. */
  outputTokens: number;
  cacheReadTokens: number;
  /** 5-minute (default) cache writes. */
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  /** The part of outputTokens that was reasoning. */
  reasoningTokens: number;
  /** Index in TIERS (0: standard). */
  tier: number;
  /** How many requests the row stands for. */
  requests: number;
  /** What the row says of its band; null when it does not say (the import works it out). */
  longContext: boolean | null;
  id: string | null;
}

/** A record, or the reason it was refused. */
export type Parsed = UsageRow | string;

const REQUIRED = ['timestamp', 'agent', 'model', 'input_tokens', 'output_tokens'] as const;
const OPTIONAL = [
  'id',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'service_tier',
  'requests',
  'long_context',
] as const;
const COLUMNS: readonly string[] = [...REQUIRED, ...OPTIONAL];

/**
 * Counts other tools write that lose nothing left unread: a sum of ours (`total_tokens`, `tokens`),
 * a request's setting (`max_tokens`), and OpenAI's names for the input and output a file carries
 * as ours too (both are required).
 */
const IGNORED_COUNTS = new Set([
  'total_tokens',
  'tokens',
  'max_tokens',
  'prompt_tokens',
  'completion_tokens',
]);
/**
 * Columns whose misspelling is refused: the optional ones, which a file may lack (a misspelled
 * required one is refused as missing); not `id`, whose two letters are an edit from many names.
 */
const MISSPELLABLE = OPTIONAL.filter((column) => column !== 'id');

/** How many single-letter edits turn one name into the other (Levenshtein); over `limit` when lengths alone say so. */
function editsBetween(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
}

/** How a name no column has is named in a refusal, or null when it is left alone. */
function unreadName(name: string): string | null {
  if (name === '' || IGNORED_COUNTS.has(name)) return null;
  // Short names are an edit or two from ordinary words (`requester`): one edit for them.
  const meant = MISSPELLABLE.find((column) => {
    const limit = column.length < 10 ? 1 : 2;
    return editsBetween(name, column, limit) <= limit;
  });
  if (meant !== undefined) return `${name} (did you mean ${meant}?)`;
  return name.endsWith('_tokens') ? name : null;
}

const unreadProblem = (unread: string[]) =>
  `${unread.join(', ')} ${unread.length === 1 ? 'is not a column' : 'are not columns'} Orgdeck reads, and ${unread.length === 1 ? 'its' : 'their'} counts would cost nothing. Rename to one of ${COLUMNS.join(', ')}, or remove ${unread.length === 1 ? 'it' : 'them'}`;

/**
 * Why a CSV header's names cannot be read as they stand, or null. Other columns are left alone (a
 * file may carry a user or a cost), except one that names tokens or is a column's name misspelled:
 * read without it, its counts would silently cost nothing.
 */
export function unreadColumnsProblem(names: readonly string[]): string | null {
  const twice = COLUMNS.filter((column) => names.indexOf(column) !== names.lastIndexOf(column));
  if (twice.length > 0) return `${twice.join(', ')} ${twice.length === 1 ? 'is' : 'are'} named twice`;
  const unread = names.flatMap((name) => (COLUMNS.includes(name) ? [] : (unreadName(name) ?? [])));
  return unread.length === 0 ? null : unreadProblem(unread);
}

/**
 * unreadColumnsProblem for a JSON record's keys, each other key judged once per file (a file's
 * records repeat their keys; past a few hundred distinct ones they are judged each time).
 */
function recordKeysJudge() {
  const known = new Set(COLUMNS);
  const judged = new Map<string, string | null>();
  return (record: object): string | null => {
    const unread: string[] = [];
    for (const key in record) {
      if (known.has(key)) continue;
      let verdict = judged.get(key);
      if (verdict === undefined) {
        verdict = unreadName(key);
        if (judged.size < 512) judged.set(key, verdict);
      }
      if (verdict !== null) unread.push(verdict);
    }
    return unread.length === 0 ? null : unreadProblem(unread);
  };
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const COUNT = /^\d{1,13}$/;
/**
 * The most tokens one count may hold: a row may sum a month of a provider's usage, and every sum of
 * such rows stays exact (a batch ends before its counts reach 2^53, see batchBuilder; the rollups sum
 * in 64-bit integers).
 */
export const MAX_TOKENS = 1_000_000_000_000;
/** The longest agent handle, model or id, in UTF-16 units. */
export const MAX_TEXT = 200;

/** A token count (digits, or a JSON whole number) from 0 to MAX_TOKENS, or why it is not one. */
export function tokenCount(value: unknown, field: string): number | string {
  // The usual cell, plain digits, without a regular expression: a file has millions of them.
  if (typeof value === 'string' && value.length > 0 && value.length <= 15) {
    let count = 0;
    let at = 0;
    for (; at < value.length; at++) {
      const code = value.charCodeAt(at) - 48;
      if (code < 0 || code > 9) break;
      count = count * 10 + code;
    }
    if (at === value.length && count <= MAX_TOKENS) return count;
  }
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const count = COUNT.test(text) ? Number(text) : Number.NaN;
  return count <= MAX_TOKENS ? count : `${field} must be a whole number from 0 to ${MAX_TOKENS}`;
}

const BAD_TIMESTAMP = 'timestamp must be ISO 8601 with a time zone, e.g. 2026-03-01T12:00:00Z';
const NOT_REAL = 'timestamp is not a real date and time';
/** Usage days are stored as 16-bit day numbers: 1970-01-01 to 2149-06-06. */
export const LAST_MS = 65_536 * DAY_MS;
const OUT_OF_RANGE = 'timestamp must fall between 1970 and 2149';

/** The epoch ms of "YYYY-MM-DD", or NaN when it is not a real date (Date.parse would roll 02-30 over). */
export function dayStart(text: string): number {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCDate() === day && date.getUTCMonth() === month - 1
    ? date.getTime()
    : Number.NaN;
}

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const two = (text: string, at: number) => {
  const high = digit(text, at);
  const low = digit(text, at + 1);
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
};

/**
 * "YYYY-MM-DDTHH:MM:SSZ" and "…SS.sssZ", what usage exports write, without a regular expression or
 * Date.parse; undefined sends anything else to the general path. Days are cached: a file has few.
 */
function fastTimestamp(text: string, days: Map<string, number>): number | undefined {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  if (text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || (length === 24 && text[19] !== '.'))
    return undefined;
  const date = text.slice(0, 10);
  let start = days.get(date);
  if (start === undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
    start = dayStart(date);
    days.set(date, start);
  }
  const hours = two(text, 11);
  const minutes = two(text, 14);
  const seconds = two(text, 17);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return undefined;
  let millis = 0;
  if (length === 24) {
    const hundreds = digit(text, 20);
    const rest = two(text, 21);
    if (hundreds < 0 || hundreds > 9 || rest < 0) return undefined;
    millis = hundreds * 100 + rest;
  }
  return start + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
}

function timestampOf(value: unknown, days: Map<string, number>): number | string {
  const text = typeof value === 'string' ? value.trim() : '';
  let ms = fastTimestamp(text, days);
  if (ms === undefined) {
    if (!ISO_WITH_ZONE.test(text)) return BAD_TIMESTAMP;
    ms = Date.parse(text);
    if (Number.isNaN(dayStart(text.slice(0, 10)))) return NOT_REAL;
  }
  if (Number.isNaN(ms)) return NOT_REAL;
  return ms >= 0 && ms < LAST_MS ? ms : OUT_OF_RANGE;
}

/**
 * The fields of one record, as our usage format names them: what a CSV or JSON Lines file holds,
 * and what a provider export's parser produces. Absent optional fields take their defaults.
 */
export type UsageFields = Record<(typeof REQUIRED)[number], unknown> &
  Partial<Record<(typeof OPTIONAL)[number], unknown>>;

const absent = (value: unknown) => value === undefined || value === null || value === '';

/** An optional count: 0 when absent. */
function optionalTokens(value: unknown, field: string): number | string {
  return absent(value) ? 0 : tokenCount(value, field);
}

function tierOf(value: unknown): number | string {
  if (absent(value) || value === 'standard') return 0;
  const tier = TIERS.indexOf(String(value).trim().toLowerCase() as (typeof TIERS)[number]);
  return tier === -1 ? `service_tier must be one of ${TIERS.join(', ')}` : tier;
}

function longContextOf(value: unknown): boolean | null | string {
  if (absent(value)) return null;
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return 'long_context must be true or false';
}

/** Checks one record's fields; the reason names the first problem. `days` caches parsed dates. */
export function toUsageRow(fields: UsageFields, days: Map<string, number> = new Map()): Parsed {
  const timestamp = timestampOf(fields.timestamp, days);
  if (typeof timestamp === 'string') return timestamp;
  const agent = typeof fields.agent === 'string' ? fields.agent.trim() : '';
  if (!agent || agent.length > MAX_TEXT) return 'agent (the agent’s handle) is missing';
  const model = typeof fields.model === 'string' ? fields.model.trim() : '';
  if (!model || model.length > MAX_TEXT) return 'model is missing';
  const input = tokenCount(fields.input_tokens, 'input_tokens');
  if (typeof input === 'string') return input;
  const output = tokenCount(fields.output_tokens, 'output_tokens');
  if (typeof output === 'string') return output;
  const cacheRead = optionalTokens(fields.cache_read_tokens, 'cache_read_tokens');
  if (typeof cacheRead === 'string') return cacheRead;
  const cacheWrite = optionalTokens(fields.cache_write_tokens, 'cache_write_tokens');
  if (typeof cacheWrite === 'string') return cacheWrite;
  const cacheWrite1h = optionalTokens(fields.cache_write_1h_tokens, 'cache_write_1h_tokens');
  if (typeof cacheWrite1h === 'string') return cacheWrite1h;
  const reasoning = optionalTokens(fields.reasoning_tokens, 'reasoning_tokens');
  if (typeof reasoning === 'string') return reasoning;
  if (reasoning > output) return 'reasoning_tokens is part of output_tokens and cannot exceed it';
  const tier = tierOf(fields.service_tier);
  if (typeof tier === 'string') return tier;
  const requests = absent(fields.requests) ? 1 : tokenCount(fields.requests, 'requests');
  if (typeof requests === 'string') return requests;
  if (requests === 0) return 'requests must be at least 1';
  const longContext = longContextOf(fields.long_context);
  if (typeof longContext === 'string') return longContext;
  const rawId = fields.id;
  if (!absent(rawId) && typeof rawId !== 'string' && typeof rawId !== 'number')
    return 'id must be text or a number';
  const unsafeId = unsafeNumberIn(rawId, 'id');
  if (unsafeId !== undefined) return unsafeId;
  // Blank, every such row would share one key and all but the first be skipped as seen.
  if (typeof rawId === 'string' && rawId !== '' && rawId.trim() === '')
    return 'id is blank: leave it empty, or give the row an id of its own';
  const id = absent(rawId) ? null : String(rawId).trim().slice(0, MAX_TEXT);
  return {
    timestamp,
    agent,
    model,
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: cacheWrite1h,
    reasoningTokens: reasoning,
    tier,
    requests,
    longContext,
    id,
  };
}

/** A quoted cell not closed on its line: a line break inside quotes, which usage files do not hold. */
const UNCLOSED = Symbol('unclosed quote');

/** Splits one CSV line, honouring double quotes ("a ""b"", c" → a "b", c); UNCLOSED if one is left open. */
function splitCsv(line: string): string[] | typeof UNCLOSED {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  if (quoted) return UNCLOSED;
  cells.push(cell);
  return cells;
}

/** The cell at a column's position, or undefined for a column the file does not have (-1). */
const cellAt = (cells: string[], position: number) => (position === -1 ? undefined : cells[position]);

/** A line parser for the file's format, made from its first line; a CSV file's says where its columns are. */
export function parserFor(firstLine: string): {
  parse(line: string): Parsed;
  skipsFirstLine: boolean;
  columns?: CsvColumns;
} {
  const days = new Map<string, number>();
  if (firstLine.trimStart().startsWith('{')) {
    const unreadKeys = recordKeysJudge();
    return {
      skipsFirstLine: false,
      parse(line) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          return 'not valid JSON';
        }
        if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
        return unreadKeys(value) ?? toUsageRow(value as UsageFields, days);
      },
    };
  }
  const headerCells = splitCsv(firstLine);
  if (headerCells === UNCLOSED) throw new Error('The CSV header has a quoted name that is not closed.');
  const header = headerCells.map((name) => name.trim().toLowerCase());
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `The CSV header lacks ${missing.join(', ')}. Expected: ${REQUIRED.join(', ')} (optional: ${OPTIONAL.join(', ')}).`,
    );
  }
  // Each column's position; -1 reads as absent. The record is built with one fixed shape, which
  // keeps property access fast over millions of rows.
  const unread = unreadColumnsProblem(header);
  if (unread !== null) throw new Error(`In the CSV header, ${unread}.`);
  const at = (name: string) => header.indexOf(name);
  const [timestamp, agent, model, input, output] = REQUIRED.map(at) as number[];
  const [id, cacheRead, cacheWrite, cacheWrite1h, reasoning, tier, requests, longContext] = OPTIONAL.map(
    at,
  ) as number[];
  return {
    skipsFirstLine: true,
    columns: {
      timestamp,
      agent,
      model,
      input,
      output,
      id,
      cacheRead,
      cacheWrite,
      cacheWrite1h,
      reasoning,
      tier,
      requests,
      longContext,
      count: header.length,
    } as CsvColumns,
    parse(line) {
      const cells = splitCsv(line);
      if (cells === UNCLOSED)
        return 'a quoted value is not closed on its line (line breaks inside quotes are not supported)';
      // More cells than the header are refused unless empty (a trailing comma): an unquoted
      // "1,000" would otherwise move every value after it one column on.
      if (cells.length < header.length || cells.slice(header.length).some((cell) => cell.trim() !== ''))
        return `expected ${header.length} columns, found ${cells.length}`;
      return toUsageRow(
        {
          timestamp: cells[timestamp as number],
          agent: cells[agent as number],
          model: cells[model as number],
          input_tokens: cells[input as number],
          output_tokens: cells[output as number],
          id: cellAt(cells, id as number),
          cache_read_tokens: cellAt(cells, cacheRead as number),
          cache_write_tokens: cellAt(cells, cacheWrite as number),
          cache_write_1h_tokens: cellAt(cells, cacheWrite1h as number),
          reasoning_tokens: cellAt(cells, reasoning as number),
          service_tier: cellAt(cells, tier as number),
          requests: cellAt(cells, requests as number),
          long_context: cellAt(cells, longContext as number),
        },
        days,
      );
    },
  };
}
