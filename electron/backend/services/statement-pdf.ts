import type { ClientStatement } from '../../../shared/contract/statements';
import { pdfDocumentClass } from './pdf-document';

const INK = '#1f2933';
const MUTED = '#616e7c';
const RULE = '#cbd2d9';
const MARGIN = 50;

/** 1234567 → "1,234,567", without a locale that could change between machines. */
const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const money = (amount: string) => {
  const negative = amount.startsWith('-');
  const [whole = '0', cents = '00'] = (negative ? amount.slice(1) : amount).split('.');
  // A hyphen, not U+2212: the standard PDF fonts (WinAnsi) have no minus sign.
  return `${negative ? '-' : ''}$${grouped(whole)}.${cents}`;
};

interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
}

/**
 * The statement a client receives, as a PDF: the MSP's logo and address at the top, the org, a
 * table of lines (adjustments with their reason), the totals, and page numbers. It shows charges
 * only. Fixed metadata dates (the issue time) and no randomness: the same document gives the same bytes.
 */
export function statementPdf(statement: ClientStatement, logo: Buffer | null): Buffer {
  const issued = new Date(statement.issued_at);
  const title = statement.kind === 'credit_note' ? 'Credit note' : 'Statement';
  const PDFDocument = pdfDocumentClass();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `${title} ${statement.number}`,
      Author: statement.msp.name || 'Orgdeck',
      Subject: `${statement.org.name}, ${statement.period}`,
      Creator: 'Orgdeck',
      Producer: 'Orgdeck',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const width = doc.page.width - 2 * MARGIN;
  const right = MARGIN + width;

  // Header: the logo left, the MSP's name and address right.
  const top = MARGIN;
  if (logo) doc.image(logo, MARGIN, top, { fit: [160, 60] });
  else if (statement.msp.name)
    doc.font('Helvetica-Bold').fontSize(18).fillColor(INK).text(statement.msp.name, MARGIN, top);
  // Beside a logo the name heads the address; without one it is already written large on the left.
  const named = logo !== null && statement.msp.name.trim() !== '';
  const mspLines = [...(named ? [statement.msp.name] : []), ...statement.msp.address.split('\n')].filter(
    (line) => line.trim(),
  );
  doc.fontSize(9);
  mspLines.forEach((line, index) => {
    const heading = named && index === 0;
    doc.font(heading ? 'Helvetica-Bold' : 'Helvetica').fillColor(heading ? INK : MUTED);
    doc.text(line, MARGIN + width / 2, top + index * 12, { width: width / 2, align: 'right' });
  });

  // Title and the statement's facts.
  let y = Math.max(top + 75, top + mspLines.length * 12 + 15);
  doc.font('Helvetica-Bold').fontSize(22).fillColor(INK).text(title, MARGIN, y);
  y += 34;
  const facts: [string, string][] = [
    ['Number', statement.number],
    ['Issued', `${statement.issued_on} (${statement.timezone})`],
    ['Period', statement.period],
    ...(statement.credits ? ([['Credits', statement.credits]] as [string, string][]) : []),
    ...(statement.reason ? ([['Reason', statement.reason]] as [string, string][]) : []),
  ];
  const factsTop = y;
  for (const [label, value] of facts) {
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(label, MARGIN, y, { width: 60 });
    doc
      .font('Helvetica')
      .fillColor(INK)
      .text(value, MARGIN + 60, y, { width: width / 2 - 70 });
    y = doc.y + 3;
  }
  // Bill to, on the right.
  let billY = factsTop;
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text('Bill to', MARGIN + width / 2, billY);
  billY += 13;
  for (const [index, line] of [statement.org.name, statement.org.contact_name, statement.org.contact_email]
    .filter((line) => line.trim())
    .entries()) {
    doc
      .font(index === 0 ? 'Helvetica-Bold' : 'Helvetica')
      .fillColor(INK)
      .text(line, MARGIN + width / 2, billY, {
        width: width / 2,
      });
    billY = doc.y + 2;
  }
  y = Math.max(y, billY) + 20;

  // The table of lines.
  const columns: Column[] = [
    { header: 'Description', width: width - 250, align: 'left' },
    { header: 'Days', width: 50, align: 'right' },
    { header: 'Rate', width: 65, align: 'right' },
    { header: 'Tokens', width: 65, align: 'right' },
    { header: 'Amount', width: 70, align: 'right' },
  ];
  const headerRow = () => {
    doc.font('Helvetica-Bold').fontSize(8.5).fillColor(MUTED);
    let x = MARGIN;
    for (const column of columns) {
      doc.text(column.header.toUpperCase(), x + 4, y, { width: column.width - 8, align: column.align });
      x += column.width;
    }
    y += 14;
    doc.moveTo(MARGIN, y).lineTo(right, y).lineWidth(0.8).strokeColor(INK).stroke();
    y += 6;
  };
  headerRow();
  const bottom = doc.page.height - MARGIN - 30;
  for (const line of statement.lines) {
    const cells = [
      line.description,
      line.days ?? '',
      line.rate ? money(line.rate) : '',
      line.tokens === '0'
        ? ''
        : `${line.tokens.startsWith('-') ? '-' : ''}${grouped(line.tokens.replace('-', ''))}`,
      money(line.amount),
    ];
    doc.font('Helvetica').fontSize(9);
    const reason = line.adjustment ? line.adjustment.reason : null;
    const height =
      doc.heightOfString(cells[0] as string, { width: (columns[0] as Column).width - 8 }) +
      (reason ? doc.fontSize(8).heightOfString(reason, { width: (columns[0] as Column).width - 8 }) + 2 : 0);
    if (y + height > bottom) {
      doc.addPage();
      y = MARGIN;
      headerRow();
    }
    let x = MARGIN;
    cells.forEach((cell, index) => {
      const column = columns[index] as Column;
      doc.font('Helvetica').fontSize(9).fillColor(INK);
      doc.text(cell, x + 4, y, { width: column.width - 8, align: column.align });
      x += column.width;
    });
    if (reason) {
      doc
        .fontSize(8)
        .fillColor(MUTED)
        .text(
          reason,
          MARGIN + 4,
          y +
            doc.fontSize(9).heightOfString(cells[0] as string, { width: (columns[0] as Column).width - 8 }) +
            1,
          {
            width: (columns[0] as Column).width - 8,
          },
        );
    }
    y += height + 6;
    doc
      .moveTo(MARGIN, y - 3)
      .lineTo(right, y - 3)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
  }
  if (statement.lines.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text('No charges this month.', MARGIN + 4, y);
    y += 18;
  }

  // Totals, right-aligned under the amounts.
  const totals: [string, string, boolean][] = [
    ['Agent fees', statement.totals.fees, false],
    ['AI usage', statement.totals.usage, false],
    // A top-up only when the month fell short of the minimum.
    ...(/^-?0\.00$/.test(statement.totals.minimum_top_up)
      ? []
      : ([['Minimum charge top-up', statement.totals.minimum_top_up, false]] as [string, string, boolean][])),
    ['Adjustments', statement.totals.adjustments, false],
    [statement.kind === 'credit_note' ? 'Total credited' : 'Total due', statement.totals.total, true],
  ];
  if (y + totals.length * 16 + 10 > bottom) {
    doc.addPage();
    y = MARGIN;
  }
  y += 8;
  for (const [label, amount, strong] of totals) {
    if (strong) {
      doc
        .moveTo(right - 200, y - 2)
        .lineTo(right, y - 2)
        .lineWidth(0.8)
        .strokeColor(INK)
        .stroke();
      y += 4;
    }
    doc
      .font(strong ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(strong ? 11 : 9)
      .fillColor(INK);
    doc.text(label, right - 200, y, { width: 120 });
    doc.text(`${money(amount)}`, right - 80, y, { width: 76, align: 'right' });
    y += strong ? 18 : 14;
  }
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(MUTED)
    .text('Amounts in USD.', right - 200, y + 4, { width: 196, align: 'right' });

  // Page numbers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    // The footer sits in the bottom margin: without this the text would start a new page.
    doc.page.margins.bottom = 0;
    const footerY = doc.page.height - MARGIN + 10;
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    doc.text(`${title} ${statement.number}`, MARGIN, footerY, { width: width / 2, lineBreak: false });
    doc.text(`Page ${index + 1} of ${range.count}`, MARGIN + width / 2, footerY, {
      width: width / 2,
      align: 'right',
      lineBreak: false,
    });
  }
  doc.end();
  // The document pushes everything into its stream buffer as it ends: read it out, synchronously,
  // so a statement's PDF is made inside the transaction that issues it.
  const chunks: Buffer[] = [];
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null)
    chunks.push(chunk);
  return Buffer.concat(chunks);
}
