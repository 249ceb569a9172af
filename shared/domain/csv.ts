/**
 * The one CSV writer for every export (console and CLI alike): RFC 4180 quoting, CRLF line ends,
 * and no cell a spreadsheet would run. Excel, LibreOffice and Google Sheets evaluate a cell that
 * starts with =, +, -, @, a tab or a carriage return (`-1+1+HYPERLINK(...)` too), so such text gets
 * a leading apostrophe. Only numeric columns may hold a bare number, minus sign included.
 */
export interface CsvColumn<Row> {
  header: string;
  /** 'number': plain numbers (42, -0.44, "-44.00") stay numbers; anything else is text. */
  kind: 'text' | 'number';
  value(row: Row): unknown;
}

export const CSV_LINE_END = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** One cell: empty for null, quoted when it holds a quote, a comma or a line break. */
export function csvCell(value: unknown, kind: CsvColumn<unknown>['kind']): string {
  if (value === null || value === undefined) return '';
  const text = asText(value);
  const isNumber = kind === 'number' && typeof value !== 'object' && PLAIN_NUMBER.test(text);
  const safe = !isNumber && FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvHeader<Row>(columns: readonly CsvColumn<Row>[]): string {
  return columns.map((column) => csvCell(column.header, 'text')).join(',') + CSV_LINE_END;
}

export function csvRow<Row>(columns: readonly CsvColumn<Row>[], row: Row): string {
  return columns.map((column) => csvCell(column.value(row), column.kind)).join(',') + CSV_LINE_END;
}

/** A whole file: the header, then one line per row, each ending in CRLF. */
export function csvDocument<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  let text = csvHeader(columns);
  for (const row of rows) text += csvRow(columns, row);
  return text;
}

/**
 * The reader for the few CSV files people write by hand (an agent list): RFC 4180 quotes, quoted
 * line breaks, CRLF or LF, a byte-order mark. Each record comes with the line it starts on, so
 * problems can name it; blank lines are skipped.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}
