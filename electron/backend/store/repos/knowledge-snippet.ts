import { MATCH_END, MATCH_START } from '../../../../shared/domain/knowledge-text';

/**
 * The combining accents SQLite's unicode61 tokenizer counts as part of a word (and folds away):
 * those of U+0300–U+0331 its sqlite3Fts5UnicodeIsdiacritic masks (0x08029FDF, 0x000361F8) name.
 */
const DIACRITICS = [...Array(50).keys()]
  .filter((bit) => (bit < 32 ? (0x08029fdf >>> bit) & 1 : (0x000361f8 >>> (bit - 32)) & 1))
  .map((bit) => String.fromCharCode(0x300 + bit))
  .join('');
/** A word as the tokenizer splits text: letters, digits and private use (its "L* N* Co"), and those accents. */
const WORD = new RegExp(`[\\p{L}\\p{N}\\p{Co}${DIACRITICS}]+`, 'gu');
const IS_DIACRITIC = new RegExp(`^[${DIACRITICS}]$`, 'u');
/** An ASCII letter and its accents, as a Latin letter decomposes. */
const ACCENTED_ASCII = /^[a-z]\p{Mn}+$/u;

/**
 * As the tokenizer folds a word, one character at a time (remove_diacritics 2): lower case (in the
 * Basic Multilingual Plane, and Deseret), a Latin letter with accents as its ASCII letter, the
 * accents themselves dropped; other scripts keep their marks (й stays й, が stays が).
 */
function fold(text: string): string {
  // Plain ASCII has nothing else to fold: most words take this way.
  if (/^\p{ASCII}*$/u.test(text)) return text.toLowerCase();
  let folded = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code > 0xffff && !(code >= 0x10400 && code < 0x10428)) {
      folded += char;
      continue;
    }
    const lower = char.toLowerCase();
    // One character lower-cased alone: no final sigma, as the tokenizer has none.
    const letters = lower.normalize('NFD');
    if (ACCENTED_ASCII.test(letters)) folded += letters[0];
    else if (!IS_DIACRITIC.test(char)) folded += lower;
  }
  return folded;
}

/** The code of a word's first letter, folded: ASCII letters lower-cased without building strings. */
function firstCode(word: string): number {
  const code = word.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  return fold(String.fromCodePoint(word.codePointAt(0) as number)).charCodeAt(0);
}

/** A search's terms as the tokenizer reads them, each one word (see snippetTerms). */
export interface SnippetTerms {
  folded: string[];
}

/**
 * The terms as the tokenizer reads them, or null when one of them is several words to it (a
 * mark it splits words at, as in Devanagari): FTS5 then searches for them as a phrase, which
 * snippetOf does not follow, so snippet() makes that search's snippets.
 */
export function snippetTerms(terms: string[]): SnippetTerms | null {
  const folded: string[] = [];
  for (const term of terms) {
    const words = term.match(WORD) ?? [];
    if (words.length !== 1) return null;
    folded.push(fold(words[0] as string));
  }
  return { folded };
}

/** A word (its place among the body's words) that begins with a term (its place in the terms). */
interface Instance {
  word: number;
  term: number;
}

/** The body's words (where each starts and ends), its instances in word order, and its sentences' first words. */
function wordsOf(body: string, folded: string[]) {
  const firstCodes = new Set(folded.map((term) => term.charCodeAt(0)));
  const starts: number[] = [];
  const ends: number[] = [];
  const instances: Instance[] = [];
  const sentences: number[] = [];
  const scan = new RegExp(WORD);
  for (let found = scan.exec(body); found !== null; found = scan.exec(body)) {
    const word = starts.length;
    // Most words start with none of the terms' letters: folding them all would cost more than the search.
    if (firstCodes.has(firstCode(found[0]))) {
      const text = fold(found[0]);
      folded.forEach((term, index) => {
        if (text.startsWith(term)) instances.push({ word, term: index });
      });
    }
    if (word === 0 || startsSentence(body, found.index)) sentences.push(word);
    starts.push(found.index);
    ends.push(scan.lastIndex);
  }
  return { starts, ends, instances, sentences };
}

/** As FTS5 finds sentences: a word after white space that follows a '.' or ':'. */
function startsSentence(body: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && ' \t\n\r'.includes(body[before] as string)) before--;
  return before !== at - 1 && before >= 0 && (body[before] === '.' || body[before] === ':');
}

/**
 * The snippet of a matching document's body, as FTS5's snippet() makes it (fts5_aux.c): `length`
 * words from the run that scores best (1000 for each term it holds, 1 for each repeat, 100 more
 * for starting a sentence and 120 for starting the body), the first such, centred on its matches;
 * each word a term begins marked MATCH_START … MATCH_END, an ellipsis where words are left out, and
 * the text before the first word or after the last where the body starts or ends there.
 *
 * Worked out here, reading the body once, because snippet() scores each match's run by reading
 * every other match: a document of a few MB with thousands of matches (a one- or two-letter prefix,
 * which the console searches for as it is typed) took a second or more, per document, on a reader.
 */
export function snippetOf(body: string, terms: SnippetTerms, length: number): string {
  const { starts, ends, instances, sentences } = wordsOf(body, terms.folded);
  const words = starts.length;
  // No words, no matches: the text as it is.
  if (words === 0) return body;
  const from = bestStart(instances, sentences, words, length);
  const to = Math.min(words, from + length);
  const marked = new Set(instances.filter(({ word }) => word >= from && word < to).map(({ word }) => word));
  let text = from === 0 ? body.slice(0, starts[0]) : '…';
  for (let word = from; word < to; word++) {
    if (word > from) text += body.slice(ends[word - 1], starts[word]);
    const piece = body.slice(starts[word], ends[word]);
    text += marked.has(word) ? `${MATCH_START}${piece}${MATCH_END}` : piece;
  }
  return text + (to === words ? body.slice(ends[words - 1]) : '…');
}

/**
 * Scores runs of `length` words starting at words that never go back (each call's `from` at or
 * after the last): the instances in the run are kept as the run slides, so scoring every match's
 * run reads each instance twice, not once per run.
 */
function runScorer(instances: Instance[], length: number) {
  let low = 0;
  let high = 0;
  const terms = new Map<number, number>();
  return (from: number) => {
    for (; high < instances.length && (instances[high] as Instance).word < from + length; high++) {
      const { term } = instances[high] as Instance;
      terms.set(term, (terms.get(term) ?? 0) + 1);
    }
    for (; low < high && (instances[low] as Instance).word < from; low++) {
      const { term } = instances[low] as Instance;
      const left = (terms.get(term) as number) - 1;
      if (left === 0) terms.delete(term);
      else terms.set(term, left);
    }
    const held = high - low;
    return {
      // 1000 for each term, 1 for each repeat.
      score: 1000 * terms.size + (held - terms.size),
      last: held > 0 ? (instances[high - 1] as Instance).word + 1 : from,
    };
  };
}

/** The first word of the best run (see snippetOf); the body's first word when nothing matches. */
function bestStart(instances: Instance[], sentences: number[], words: number, length: number): number {
  const matchRun = runScorer(instances, length);
  const sentenceRun = runScorer(instances, length);
  let sentence = 0;
  let best = { score: 0, start: 0 };
  for (const { word: at } of instances) {
    const run = matchRun(at);
    if (run.score > best.score) {
      // Centred on its matches, within the body: C's integer division, as FTS5 computes it.
      let start = at - Math.trunc((length - (run.last - at)) / 2);
      if (start + length > words) start = words - length;
      best = { score: run.score, start: Math.max(0, start) };
    }
    if (words > length) {
      while (sentence + 1 < sentences.length && (sentences[sentence + 1] as number) <= at) sentence++;
      const opening = sentences[sentence] as number;
      if (opening < at) {
        const score = sentenceRun(opening).score + (opening === 0 ? 120 : 100);
        if (score > best.score) best = { score, start: opening };
      }
    }
  }
  return best.start;
}
