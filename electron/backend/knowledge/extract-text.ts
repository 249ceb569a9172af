import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { convert } from 'html-to-text';
import { extractText, getDocumentProxy } from 'unpdf';
import { AppError } from '../../../shared/contract/envelope';
import { KNOWLEDGE_EXTENSIONS } from '../../../shared/contract/knowledge';

export interface ExtractedText {
  title: string;
  body: string;
}

/** A title from the text (a Markdown "# heading" or an HTML <title>), else the file's name. */
function titleOf(fileName: string, text: string, html?: string): string {
  const heading =
    /^#\s+(.+)$/m.exec(text)?.[1] ?? (html ? /<title>([^<]+)<\/title>/i.exec(html)?.[1] : undefined);
  return (heading ?? fileName.replace(/\.[^.]+$/, '')).trim().slice(0, 200) || fileName;
}

/** The plain text of a knowledge file: Markdown and text as they are, HTML and PDF converted. */
export async function extractKnowledgeText(path: string, fileName: string): Promise<ExtractedText> {
  const extension = extname(fileName).toLowerCase();
  const bytes = await readFile(path);
  switch (extension) {
    case '.md':
    case '.markdown':
    case '.txt': {
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      return { title: titleOf(fileName, text), body: text };
    }
    case '.html':
    case '.htm': {
      const html = bytes.toString('utf8');
      const text = convert(html, {
        wordwrap: false,
        selectors: [{ selector: 'a', options: { ignoreHref: true } }],
      });
      return { title: titleOf(fileName, '', html), body: text };
    }
    case '.pdf': {
      try {
        const pdf = await getDocumentProxy(new Uint8Array(bytes));
        const { text } = await extractText(pdf, { mergePages: true });
        return { title: titleOf(fileName, ''), body: text };
      } catch {
        throw new AppError('VALIDATION', `${fileName} is not a readable PDF.`);
      }
    }
    default:
      throw new AppError(
        'VALIDATION',
        `${fileName}: only ${KNOWLEDGE_EXTENSIONS.join(', ')} files can be added.`,
      );
  }
}
