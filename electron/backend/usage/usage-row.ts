/** One usage record as read from a CSV or JSON Lines file. */
export interface UsageRow {
  timestamp: number;
  agent: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  id: string | null;
}

/** A record, or the reason it was refused. */
export type Parsed = UsageRow | string;

const REQUIRED = ['timestamp', 'agent', 'model', 'input_tokens', 'output_tokens'] as const;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const COUNT = /^\d{1,13}$/;
/**
 * The most tokens one count may hold: a row may sum a month of a provider's usage, and every sum of
 * such rows stays exact (see SumTable and the rollups' exact sums).
 */
export const MAX_TOKENS = 1_000_000_000_000;
const MAX_TEXT = 200;

function tokens(value: unknown, field: string): number | string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const count = COUNT.test(text) ? Number(text) : Number.NaN;
  return count <= MAX_TOKENS ? count : `${field} must be a whole number from 0 to ${MAX_TOKENS}`;
}

const BAD_TIMESTAMP = 'timestamp must be ISO 8601 with a time zone, e.g. 2026-03-01T12:00:00Z';
const NOT_REAL = 'timestamp is not a real date and time';
const DAY_MS = 86_400_000;
/** Usage days are stored as 16-bit day numbers: 1970-01-01 to 2149-06-06. */
const LAST_MS = 65_536 * DAY_MS;
const OUT_OF_RANGE = 'timestamp must fall between 1970 and 2149';

/** The epoch ms of "YYYY-MM-DD", or NaN when it is not a real date (Date.parse would roll 02-30 over). */
function dayStart(text: string): number {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date.getTime() : Number.NaN;
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

/** The fields of one record, as a file names them. */
interface Fields {
  timestamp: unknown;
  agent: unknown;
  model: unknown;
  input_tokens: unknown;
  output_tokens: unknown;
  id: unknown;
}

/** Checks one record's fields; the reason names the first problem. `days` caches parsed dates. */
export function toUsageRow(fields: Fields, days: Map<string, number> = new Map()): Parsed {
  const timestamp = timestampOf(fields.timestamp, days);
  if (typeof timestamp === 'string') return timestamp;
  const agent = typeof fields.agent === 'string' ? fields.agent.trim() : '';
  if (!agent || agent.length > MAX_TEXT) return 'agent (the agent’s handle) is missing';
  const model = typeof fields.model === 'string' ? fields.model.trim() : '';
  if (!model || model.length > MAX_TEXT) return 'model is missing';
  const input = tokens(fields.input_tokens, 'input_tokens');
  if (typeof input === 'string') return input;
  const output = tokens(fields.output_tokens, 'output_tokens');
  if (typeof output === 'string') return output;
  const rawId = fields.id;
  const id =
    rawId === undefined || rawId === null || rawId === '' ? null : String(rawId).trim().slice(0, MAX_TEXT);
  return { timestamp, agent, model, inputTokens: input, outputTokens: output, id };
}

/** Splits one CSV line, honouring double quotes ("a ""b"", c" → a "b", c). */
function splitCsv(line: string): string[] {
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
  cells.push(cell);
  return cells;
}

/** A line parser for the file's format, made from its first line. */
export function parserFor(firstLine: string): { parse(line: string): Parsed; skipsFirstLine: boolean } {
  const days = new Map<string, number>();
  if (firstLine.trimStart().startsWith('{')) {
    return {
      skipsFirstLine: false,
      parse(line) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          return 'not valid JSON';
        }
        return value && typeof value === 'object' && !Array.isArray(value)
          ? toUsageRow(value as Fields, days)
          : 'not a JSON object';
      },
    };
  }
  const header = splitCsv(firstLine.replace(/^\uFEFF/, '')).map((name) => name.trim().toLowerCase());
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `The CSV header lacks ${missing.join(', ')}. Expected: ${[...REQUIRED, 'id (optional)'].join(', ')}.`,
    );
  }
  const at = (name: string) => header.indexOf(name);
  const [timestamp, agent, model, input, output, id] = [...REQUIRED, 'id'].map(at) as number[];
  return {
    skipsFirstLine: true,
    parse(line) {
      const cells = splitCsv(line);
      if (cells.length < header.length) return `expected ${header.length} columns, found ${cells.length}`;
      return toUsageRow(
        {
          timestamp: cells[timestamp as number],
          agent: cells[agent as number],
          model: cells[model as number],
          input_tokens: cells[input as number],
          output_tokens: cells[output as number],
          id: id === -1 ? undefined : cells[id as number],
        },
        days,
      );
    },
  };
}
