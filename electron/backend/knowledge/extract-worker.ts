// Runs in its own worker thread (see extract-text.ts), so it imports packages only: no relative
// imports, which lets Node run this file as it is from the sources (tests) as well as bundled.
import { createReadStream, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

export type TextFormat = 'text' | 'html' | 'pdf';

export interface ExtractTask {
  path: string;
  fileName: string;
  format: TextFormat;
  /** Text longer than this is refused, and plain text is not read past it. */
  maxChars: number;
}

export type Refusal = 'too-deep' | 'too-long' | 'unreadable-pdf';

export type ExtractOutcome = { ok: true; title: string; body: string } | { ok: false; refusal: Refusal };

/**
 * Deeper than this, elements lose their tags (their text stays) before any parser sees them: HTML
 * parsers and the converter are quadratic or recursive in depth. Browsers stop nesting at the same depth.
 */
const MAX_HTML_DEPTH = 512;
const VOID_ELEMENTS = new Set(
  'area base br col embed hr img input link meta param source track wbr keygen command basefont frame'.split(
    ' ',
  ),
);
/**
 * Elements whose content is text, not markup, to the parser that reads the page next (htmlparser2,
 * html-to-text's): a "<div>" inside them opens nothing. Exactly its list: one it parses as markup
 * (a <noscript> or <template>) skipped here would reach it with its nesting whole.
 */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title', 'xmp']);
/**
 * Where the parser takes a tag's "/>" to close it: inside <svg> or <math>, unless inside one of
 * their elements that hold HTML again. Elsewhere a "<div/>" opens a <div> like any other, as
 * htmlparser2 reads HTML (its foreignContext), and so nests as deep.
 */
const FOREIGN_ELEMENTS = ['svg', 'math'];
const HTML_INTEGRATION_ELEMENTS = [
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
];
const inForeignContent = (open: ReturnType<typeof openElements>) =>
  Math.max(...FOREIGN_ELEMENTS.map(open.innermost)) >
  Math.max(...HTML_INTEGRATION_ELEMENTS.map(open.innermost));
/** Elements an implied end tag does not reach past (the HTML parser's "scope"). */
const SCOPE = ['html', 'table', 'td', 'th', 'caption', 'template', 'button', 'object', 'applet', 'marquee'];
/**
 * Elements whose end tag may be left out, and where the search for the open one stops: a new
 * element of the group closes an open one (and what is open inside it), as an HTML parser does.
 */
const IMPLIED_ENDS: [string[], string[]][] = [
  [['p'], SCOPE],
  [['li'], ['ul', 'ol', ...SCOPE]],
  [
    ['dt', 'dd'],
    ['dl', ...SCOPE],
  ],
  [
    ['td', 'th'],
    ['tr', 'table', 'template'],
  ],
  [['tr'], ['table', 'tbody', 'thead', 'tfoot', 'template']],
  [
    ['thead', 'tbody', 'tfoot'],
    ['table', 'template'],
  ],
  [['option'], ['select', 'datalist', 'optgroup']],
  [['rp', 'rt'], ['ruby']],
];
const ENDS_OF = new Map(
  IMPLIED_ENDS.flatMap(([group, scope]) => group.map((name) => [name, { group, scope }] as const)),
);
/** Opening one of these closes an open <p>, as an HTML parser does. */
const P_CLOSERS = new Set(
  'address article aside blockquote div dl fieldset footer form h1 h2 h3 h4 h5 h6 header hr menu nav ol pre section table ul'.split(
    ' ',
  ),
);

/**
 * The elements open at a point of the page, innermost last, with where each name was last opened:
 * finding an open element costs the same however deep the page nests (a linear scan of 90,000
 * open <div> for every tag would take minutes).
 */
function openElements() {
  const names: string[] = [];
  const depthsOf = new Map<string, number[]>();
  /** The depth (index in names) the innermost open `name` is at, -1 for none. */
  const innermost = (name: string) => depthsOf.get(name)?.at(-1) ?? -1;
  /** Closes the elements at `depth` and inside it. */
  const closeFrom = (depth: number) => {
    while (names.length > depth) depthsOf.get(names.pop() as string)?.pop();
  };
  return {
    depth: () => names.length,
    innermost,
    closeFrom,
    open(name: string): void {
      const depths = depthsOf.get(name);
      if (depths) depths.push(names.length);
      else depthsOf.set(name, [names.length]);
      names.push(name);
    },
    /** Closes the open element of `group` (and what is inside it), if one is open inside the scope's edge. */
    closeImplied(group: string[], scope: string[]): void {
      const at = Math.max(...group.map(innermost));
      if (at >= 0 && at > Math.max(...scope.map(innermost))) closeFrom(at);
    },
  };
}

/**
 * The page with the tags of elements nested deeper than `maxDepth` left out and their text kept,
 * nesting counted the way an HTML parser would, without building a tree.
 */
function flattenDeepNesting(html: string, maxDepth = MAX_HTML_DEPTH): string {
  const open = openElements();
  const kept: string[] = [];
  let keptUpTo = 0;
  const drop = (from: number, to: number) => {
    kept.push(html.slice(keptUpTo, from));
    keptUpTo = to;
  };
  const tag = /<!--|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    if (match[0] === '<!--') {
      const end = html.indexOf('-->', tag.lastIndex);
      if (end < 0) break;
      tag.lastIndex = end + 3;
      continue;
    }
    const name = (match[2] as string).toLowerCase();
    if (match[1]) {
      const at = open.innermost(name);
      if (at >= maxDepth) drop(match.index, tag.lastIndex);
      if (at >= 0) open.closeFrom(at);
      continue;
    }
    if (VOID_ELEMENTS.has(name) || (match[3]?.trimEnd().endsWith('/') && inForeignContent(open))) continue;
    // Raw text opens nothing inside it: kept whole, it nests one level at most.
    if (RAW_TEXT_ELEMENTS.has(name)) {
      const close = new RegExp(`</${name}`, 'ig');
      close.lastIndex = tag.lastIndex;
      if (!close.exec(html)) break;
      tag.lastIndex = close.lastIndex;
      continue;
    }
    const ends = ENDS_OF.get(name);
    if (ends) open.closeImplied(ends.group, ends.scope);
    else if (P_CLOSERS.has(name)) open.closeImplied(['p'], SCOPE);
    if (open.depth() >= maxDepth) drop(match.index, tag.lastIndex);
    open.open(name);
  }
  if (keptUpTo === 0) return html;
  kept.push(html.slice(keptUpTo));
  return kept.join('');
}

/** A title from the text (a Markdown "# heading" or an HTML <title>), else the file's name. */
function titleOf(fileName: string, text: string, html?: string): string {
  const heading =
    /^#\s+(.+)$/m.exec(text)?.[1] ?? (html ? /<title>([^<]+)<\/title>/i.exec(html)?.[1] : undefined);
  return (heading ?? fileName.replace(/\.[^.]+$/, '')).trim().slice(0, 200) || fileName;
}

/** Plain text as read, stopping as soon as it is longer than a document may be. */
async function readText(path: string, maxChars: number): Promise<string | null> {
  const parts: string[] = [];
  let length = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    length += (chunk as string).length;
    if (length > maxChars + 1) return null;
    parts.push(chunk as string);
  }
  const text = parts.join('').replace(/^\uFEFF/, '');
  return text.length > maxChars ? null : text;
}

export async function extract(task: ExtractTask): Promise<ExtractOutcome> {
  const { path, fileName, format, maxChars } = task;
  if (format === 'text') {
    const text = await readText(path, maxChars);
    return text === null
      ? { ok: false, refusal: 'too-long' }
      : { ok: true, title: titleOf(fileName, text), body: text };
  }
  if (format === 'html') {
    const html = await readFile(path, 'utf8');
    // Loaded only for the format that needs it: the thread starts faster for the others.
    const { convert } = await import('html-to-text');
    const body = convert(flattenDeepNesting(html), {
      wordwrap: false,
      selectors: [{ selector: 'a', options: { ignoreHref: true } }],
    });
    return body.length > maxChars
      ? { ok: false, refusal: 'too-long' }
      : { ok: true, title: titleOf(fileName, '', html), body };
  }
  const { extractText, getDocumentProxy } = await import('unpdf');
  let body: string;
  try {
    const pdf = await getDocumentProxy(new Uint8Array(await readFile(path)));
    body = (await extractText(pdf, { mergePages: true })).text;
  } catch {
    return { ok: false, refusal: 'unreadable-pdf' };
  }
  return body.length > maxChars
    ? { ok: false, refusal: 'too-long' }
    : { ok: true, title: titleOf(fileName, ''), body };
}

/**
 * Extraction is slow work: its thread yields the CPU to the ones answering calls, at the nice value
 * its starter passes (THREAD_NICE.slowWork). What lowerThisThreadPriority (thread-priority.ts) does,
 * written out here as this file imports no relative module: on Linux alone, where a nice value is
 * the thread's own.
 */
function lowerThisThreadPriority(nice: number): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {}
}

if (parentPort && (workerData as { extract?: ExtractTask } | null)?.extract) {
  lowerThisThreadPriority((workerData as { nice: number }).nice);
  const port = parentPort;
  try {
    port.postMessage(await extract((workerData as { extract: ExtractTask }).extract));
  } catch (error) {
    // A parser that recursed as deep as the thread's stack allows, or a string longer than V8 allows.
    if (!(error instanceof RangeError)) throw error;
    const refusal: Refusal = /call stack/i.test(error.message) ? 'too-deep' : 'too-long';
    port.postMessage({ ok: false, refusal } satisfies ExtractOutcome);
  }
}
