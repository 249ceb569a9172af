import { createRequire } from 'node:module';

type PdfDocumentClass = typeof import('pdfkit');

let loaded: PdfDocumentClass | undefined;

/**
 * pdfkit's document class, loaded at the first PDF a thread makes. Loading it inflates font data and
 * builds cipher tables: ~60–100 ms of every backend thread's and CLI run's start when imported with
 * the rest, where most never draw a PDF. A require, not an import: the statement's PDF is drawn
 * inside the close's transaction, which cannot await.
 */
export function pdfDocumentClass(): PdfDocumentClass {
  loaded ??= createRequire(import.meta.url)('pdfkit') as PdfDocumentClass;
  return loaded;
}
