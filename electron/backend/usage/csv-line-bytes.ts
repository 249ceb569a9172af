import { TIERS } from '../../../shared/domain/token-pricing';
import { dayStart, LAST_MS, MAX_TEXT, MAX_TOKENS, type UsageRow } from './usage-row';

/** Where a CSV file's header puts each column (-1: the file has no such column), and how many it names. */
export interface CsvColumns {
  timestamp: number;
  agent: number;
  model: number;
  input: number;
  output: number;
  id: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
  reasoning: number;
  tier: number;
  requests: number;
  longContext: number;
  count: number;
}

const COMMA = 44;
const QUOTE = 34;
const DASH = 45;
const COLON = 58;
const DOT = 46;
const T = 84;
const Z = 90;

/** Whether a byte may stand at either end of a name taken as it is: ASCII, visible, so trim() keeps it. */
const visible = (byte: number) => byte > 32 && byte < 127;

/** The bytes of each tier's name, in TIERS order. */
const TIER_BYTES = TIERS.map((tier) => Buffer.from(tier));
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

function equals(bytes: Buffer, start: number, end: number, word: Buffer): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[start + i] !== word[i]) return false;
  return true;
}

/**
 * Names (agent handles, models) read straight from a line's bytes, each with the number `number`
 * gives it (the batch builder's): a row then costs no string and no hashing of one. A file names
 * few; past LIMIT distinct names, the table stops learning and such lines take the string path.
 */
function nameTable(number: (name: string) => number) {
  const LIMIT = 1 << 16;
  let slots = new Int32Array(1024).fill(-1);
  const hashes: number[] = [];
  const names: string[] = [];
  const numbers: number[] = [];
  const bytesOf: Buffer[] = [];
  const hashOf = (bytes: Buffer, start: number, end: number) => {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
    return hash | 0;
  };
  const same = (known: Buffer, bytes: Buffer, start: number, end: number) => {
    if (known.length !== end - start) return false;
    for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
    return true;
  };
  const place = (hash: number, entry: number) => {
    const mask = slots.length - 1;
    let slot = hash & mask;
    while (slots[slot] !== -1) slot = (slot + 1) & mask;
    slots[slot] = entry;
  };
  return {
    /** The entry of the name the bytes spell, or -1 once the table is full. */
    entry(bytes: Buffer, start: number, end: number): number {
      const hash = hashOf(bytes, start, end);
      const mask = slots.length - 1;
      for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
        const entry = slots[slot] as number;
        if (entry === -1) break;
        if (hashes[entry] === hash && same(bytesOf[entry] as Buffer, bytes, start, end)) return entry;
      }
      if (names.length === LIMIT) return -1;
      const name = bytes.toString('utf8', start, end);
      hashes.push(hash);
      names.push(name);
      numbers.push(number(name));
      bytesOf.push(Buffer.from(bytes.subarray(start, end)));
      if (names.length * 2 > slots.length) {
        slots = new Int32Array(slots.length * 2).fill(-1);
        for (let entry = 0; entry < names.length; entry++) place(hashes[entry] as number, entry);
      } else place(hash, names.length - 1);
      return names.length - 1;
    },
    name: (entry: number) => names[entry] as string,
    number: (entry: number) => numbers[entry] as number,
  };
}

/** How a line read from bytes is handed on: its record, its line number, its agent's and model's numbers. */
export type AddNamed = (row: UsageRow, line: number, agent: number, model: number) => void;

/**
 * The usual CSV line read from its bytes, without decoding it or splitting it into strings: a file
 * has millions. `parse` fills `row` and says true only for a line every check of toUsageRow passes
 * with no quotes, no spaces around values and timestamps as usage exports write them
 * ("YYYY-MM-DDTHH:MM:SSZ", "…SS.sssZ"); any other line says false and is read as text, which
 * then finds its problem and words it as ever.
 */
export function csvLineBytes(
  columns: CsvColumns,
  agentNumber: (name: string) => number,
  modelNumber: (name: string) => number,
) {
  const starts = new Int32Array(columns.count);
  const ends = new Int32Array(columns.count);
  const agents = nameTable(agentNumber);
  const models = nameTable(modelNumber);
  const row: UsageRow = {
    timestamp: 0,
    agent: '',
    model: '',
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
    tier: 0,
    requests: 1,
    longContext: null,
    id: null,
  };
  /** Day starts (epoch ms) by yyyymmdd. */
  const days = new Map<number, number>();
  let bytes: Buffer;

  /**
   * Cells' bounds; false for a line with quotes, fewer than `columns.count` cells, or anything but
   * commas past them (read as text, which says what is wrong). Empty cells past the header's are
   * what a trailing comma on every line makes, and the text path accepts them too.
   */
  function split(start: number, end: number): boolean {
    let cell = 0;
    let from = start;
    for (let at = start; at < end; at++) {
      const byte = bytes[at] as number;
      if (byte === COMMA) {
        if (cell < starts.length) {
          starts[cell] = from;
          ends[cell] = at;
        }
        cell++;
        from = at + 1;
      } else if (byte === QUOTE || cell >= starts.length) return false;
    }
    if (cell < starts.length) {
      starts[cell] = from;
      ends[cell] = end;
    }
    return cell + 1 >= starts.length;
  }

  /** Digits from `at` for `length` bytes as a number, or -1. */
  function digits(at: number, length: number): number {
    let value = 0;
    for (let i = at; i < at + length; i++) {
      const digit = (bytes[i] as number) - 48;
      if (digit < 0 || digit > 9) return -1;
      value = value * 10 + digit;
    }
    return value;
  }

  /** The count in column `column`, `absent` for an empty cell of an optional column, or -1. */
  function count(column: number, absent: number): number {
    if (column === -1) return absent;
    const length = (ends[column] as number) - (starts[column] as number);
    if (length === 0) return absent;
    if (length > 15) return -1;
    const value = digits(starts[column] as number, length);
    return value <= MAX_TOKENS ? value : -1;
  }

  /** Epoch ms of the timestamp cell, or -1. */
  function timestamp(): number {
    const at = starts[columns.timestamp] as number;
    const length = (ends[columns.timestamp] as number) - at;
    if (length !== 20 && length !== 24) return -1;
    if (
      bytes[at + 4] !== DASH ||
      bytes[at + 7] !== DASH ||
      bytes[at + 10] !== T ||
      bytes[at + 13] !== COLON ||
      bytes[at + 16] !== COLON ||
      bytes[at + length - 1] !== Z ||
      (length === 24 && bytes[at + 19] !== DOT)
    )
      return -1;
    const year = digits(at, 4);
    const month = digits(at + 5, 2);
    const day = digits(at + 8, 2);
    const hours = digits(at + 11, 2);
    const minutes = digits(at + 14, 2);
    const seconds = digits(at + 17, 2);
    const millis = length === 24 ? digits(at + 20, 3) : 0;
    if (year < 0 || month < 0 || day < 0 || millis < 0 || hours < 0 || hours > 23) return -1;
    if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return -1;
    const date = year * 10_000 + month * 100 + day;
    let start = days.get(date);
    if (start === undefined) {
      start = dayStart(bytes.toString('latin1', at, at + 10));
      days.set(date, start);
    }
    const ms = start + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
    // NaN (not a real date) fails both.
    return ms >= 0 && ms < LAST_MS ? ms : -1;
  }

  /** The table entry of the name in column `column` as it is (nothing to trim, at most MAX_TEXT), or -1. */
  function name(table: ReturnType<typeof nameTable>, column: number): number {
    const start = starts[column] as number;
    const end = ends[column] as number;
    if (end === start || end - start > MAX_TEXT) return -1;
    if (!visible(bytes[start] as number) || !visible(bytes[end - 1] as number)) return -1;
    return table.entry(bytes, start, end);
  }

  function tier(): number {
    if (columns.tier === -1) return 0;
    const start = starts[columns.tier] as number;
    const end = ends[columns.tier] as number;
    if (start === end) return 0;
    for (let tier = 0; tier < TIER_BYTES.length; tier++)
      if (equals(bytes, start, end, TIER_BYTES[tier] as Buffer)) return tier;
    return -1;
  }

  /** 1 true, 0 false, -1 unsaid, -2 anything else. */
  function longContext(): number {
    if (columns.longContext === -1) return -1;
    const start = starts[columns.longContext] as number;
    const end = ends[columns.longContext] as number;
    if (start === end) return -1;
    if (equals(bytes, start, end, TRUE)) return 1;
    if (equals(bytes, start, end, FALSE)) return 0;
    return -2;
  }

  /** The id cell as toUsageRow keeps it (null: none), or undefined when it needs the text path. */
  function id(): string | null | undefined {
    if (columns.id === -1) return null;
    const start = starts[columns.id] as number;
    const end = ends[columns.id] as number;
    if (start === end) return null;
    if (end - start > MAX_TEXT || !visible(bytes[start] as number) || !visible(bytes[end - 1] as number))
      return undefined;
    for (let at = start; at < end; at++) if ((bytes[at] as number) > 126) return undefined;
    return bytes.toString('latin1', start, end);
  }

  return {
    /**
     * Reads line `line` of a file, `from[start, end)` (no line break), and hands its record to
     * `add`; false when the line must be read as text. The record is this reader's own, filled
     * again for the next line.
     */
    parse(from: Buffer, start: number, end: number, line: number, add: AddNamed): boolean {
      bytes = from;
      if (!split(start, end)) return false;
      const at = timestamp();
      if (at < 0) return false;
      const agent = name(agents, columns.agent);
      const model = agent === -1 ? -1 : name(models, columns.model);
      if (model === -1) return false;
      const input = count(columns.input, -1);
      const output = count(columns.output, -1);
      const cacheRead = count(columns.cacheRead, 0);
      const cacheWrite = count(columns.cacheWrite, 0);
      const cacheWrite1h = count(columns.cacheWrite1h, 0);
      const reasoning = count(columns.reasoning, 0);
      if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || cacheWrite1h < 0) return false;
      if (reasoning < 0 || reasoning > output) return false;
      const requests = count(columns.requests, 1);
      const rowTier = tier();
      const said = longContext();
      const rowId = id();
      if (requests < 1 || rowTier < 0 || said === -2 || rowId === undefined) return false;
      row.timestamp = at;
      row.agent = agents.name(agent);
      row.model = models.name(model);
      row.inputTokens = input;
      row.outputTokens = output;
      row.cacheReadTokens = cacheRead;
      row.cacheWriteTokens = cacheWrite;
      row.cacheWrite1hTokens = cacheWrite1h;
      row.reasoningTokens = reasoning;
      row.tier = rowTier;
      row.requests = requests;
      row.longContext = said === -1 ? null : said === 1;
      row.id = rowId;
      add(row, line, agents.number(agent), models.number(model));
      return true;
    },
  };
}
