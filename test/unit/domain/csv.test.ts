import { describe, expect, it } from 'vitest';
import { csvLine, spreadsheetCell } from '../../../shared/domain/csv';

describe('csvLine', () => {
  it('quotes cells holding quotes, commas or line breaks, and writes objects as JSON', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 3, { after: { name: 'X' } }])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",,3,"{""after"":{""name"":""X""}}"',
    );
  });
});

describe('spreadsheetCell', () => {
  it('keeps text a spreadsheet would run as a formula from running', () => {
    expect(spreadsheetCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(spreadsheetCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(spreadsheetCell('+1 555')).toBe("'+1 555");
  });

  it('leaves numbers, negative amounts and ordinary text alone', () => {
    expect(spreadsheetCell(-44)).toBe('-44');
    expect(spreadsheetCell('-44.00')).toBe('-44.00');
    expect(spreadsheetCell('Olivia Owner')).toBe('Olivia Owner');
    expect(spreadsheetCell(null)).toBe('');
  });
});
