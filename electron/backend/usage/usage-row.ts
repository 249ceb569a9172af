/** One usage record as read from a CSV or JSON Lines file. */
export interface UsageRow {
  timestamp: number;
  agent: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  id: string | null;
}

export type Parsed = { row: UsageRow } | { reason: string };

const REQUIRED = ['timestamp', 'agent', 'model', 'input_tokens', 'output_tokens'] as const;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const COUNT = /^\d{1,15}$/;
const MAX_TEXT = 200;

function tokens(value: unknown, field: string): number | string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return COUNT.test(text) ? Number(text) : `${field} must be a whole number ≥ 0`;
}

/** Checks one record's fields; the reason names the first problem. */
export function toUsageRow(fields: Record<string, unknown>): Parsed {
  const timestamp = typeof fields.timestamp === 'string' ? fields.timestamp.trim() : '';
  if (!ISO_WITH_ZONE.test(timestamp))
    return { reason: 'timestamp must be ISO 8601 with a time zone, e.g. 2026-03-01T12:00:00Z' };
  const ms = Date.parse(timestamp);
  // Date.parse rolls days past the month's end over (2026-02-30 → 2026-03-02): refuse those too.
  const [year, month, day] = timestamp.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (Number.isNaN(ms) || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day)
    return { reason: 'timestamp is not a real date and time' };
  const agent = typeof fields.agent === 'string' ? fields.agent.trim() : '';
  if (!agent || agent.length > MAX_TEXT) return { reason: 'agent (the agent’s handle) is missing' };
  const model = typeof fields.model === 'string' ? fields.model.trim() : '';
  if (!model || model.length > MAX_TEXT) return { reason: 'model is missing' };
  const input = tokens(fields.input_tokens, 'input_tokens');
  if (typeof input === 'string') return { reason: input };
  const output = tokens(fields.output_tokens, 'output_tokens');
  if (typeof output === 'string') return { reason: output };
  const rawId = fields.id;
  const id =
    rawId === undefined || rawId === null || rawId === '' ? null : String(rawId).trim().slice(0, MAX_TEXT);
  return { row: { timestamp: ms, agent, model, inputTokens: input, outputTokens: output, id } };
}

/** Splits one CSV line, honouring double quotes ("a ""b"", c" → a "b", c). */
export function splitCsv(line: string): string[] {
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
  if (firstLine.trimStart().startsWith('{')) {
    return {
      skipsFirstLine: false,
      parse(line) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          return { reason: 'not valid JSON' };
        }
        return value && typeof value === 'object' && !Array.isArray(value)
          ? toUsageRow(value as Record<string, unknown>)
          : { reason: 'not a JSON object' };
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
  return {
    skipsFirstLine: true,
    parse(line) {
      const cells = splitCsv(line);
      if (cells.length < header.length)
        return { reason: `expected ${header.length} columns, found ${cells.length}` };
      const fields: Record<string, string> = {};
      header.forEach((name, i) => {
        fields[name] = cells[i] as string;
      });
      return toUsageRow(fields);
    },
  };
}
