/** One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(',');

/**
 * A cell of a file people open in a spreadsheet: text it would run as a formula (=, +, -, @ …)
 * gets a leading quote. Numbers, negative ones included, stay numbers.
 */
export function spreadsheetCell(value: unknown): string {
  const guarded = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value);
  return csvCell(guarded ? `'${value}` : value);
}
