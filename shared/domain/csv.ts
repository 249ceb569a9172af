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
