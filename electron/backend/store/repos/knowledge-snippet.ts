import { MATCH_END, MATCH_START } from '../../../../shared/domain/knowledge-text';
import { foldCodePoint, isDiacritic } from './fts5-fold';

/**
 * The combining accents the tokenizer keeps in a word (and folds away): those of U+0300–U+0331
 * that isDiacritic names.
 */
const DIACRITICS = [...Array(50).keys()]
  .map((offset) => 0x300 + offset)
  .filter(isDiacritic)
  .map((code) => String.fromCharCode(code))
  .join('');
/**
 * A word as SQLite's unicode61 tokenizer splits text: a letter, digit or private use character
 * (its "L* N* Co"), then more of them or those accents, which never begin one.
 */
const WORD = new RegExp(`[\\p{L}\\p{N}\\p{Co}][\\p{L}\\p{N}\\p{Co}${DIACRITICS}]*`, 'gu');

/** A word as the tokenizer stores it (fts5-fold.ts), one code point at a time. */
function fold(text: string): string {
  // Plain ASCII only lower-cases: most words take this way.
  if (/^\p{ASCII}*$/u.test(text)) return text.toLowerCase();
  let folded = '';
  for (const char of text) {
    const code = foldCodePoint(char.codePointAt(0) as number);
    if (code !== 0) folded += String.fromCodePoint(code);
  }
  return folded;
}

/** A word (its place among the body's words) that begins with a term (its place in the terms). */
interface Instance {
  word: number;
  term: number;
}

/** The body's words (where each starts and ends), its instances in word order, and its sentences' first words. */
function wordsOf(body: string, folded: string[]) {
  const firstCodes = new Set(folded.map((term) => term.codePointAt(0)));
  const starts: number[] = [];
  const ends: number[] = [];
  const instances: Instance[] = [];
  const sentences: number[] = [];
  const scan = new RegExp(WORD);
  for (let found = scan.exec(body); found !== null; found = scan.exec(body)) {
    const word = starts.length;
    // Most words start with none of the terms' letters: folding them all would cost more than the search.
    if (firstCodes.has(foldCodePoint(found[0].codePointAt(0) as number))) {
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
 * `terms` are words of letters and digits (knowledge-service's termsOf splits a search at anything
 * else), so each is one word to the tokenizer too, searched as a prefix.
 *
 * Worked out here, reading the body once, because snippet() scores each match's run by reading
 * every other match: a document of a few MB with thousands of matches (a one- or two-letter prefix,
 * which the console searches for as it is typed) took a second or more, per document, on a reader.
 */
export function snippetOf(body: string, terms: string[], length: number): string {
  const { starts, ends, instances, sentences } = wordsOf(body, terms.map(fold));
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
