// The console's snippets against SQLite's own snippet(), which they replace for speed: the same
// text for every document and search, on many seeds.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { snippetOf } from '../../../electron/backend/store/repos/knowledge-snippet';

const SNIPPET_WORDS = 24;
const VOCABULARY = [
  'escalation',
  'Escalate',
  'ÉCOLE',
  'école',
  'café',
  'Cafe',
  'pager',
  'pagerduty',
  'rota',
  'on-call',
  'manager',
  'e',
  'ex',
  'résumé',
  'Zürich',
  'zurich',
  'ß',
  'naïve',
  '42',
  '4x4',
  'x',
  'policy',
  'refund',
  // Accents as separate marks, a symbol, another script.
  'cafe\u0301',
  'e\u0301cole',
  '😀',
  'Straße',
  '東京',
  'x😀x',
  // Other scripts, whose marks the tokenizer keeps (or splits words at), and letters with no decomposition.
  'мой',
  'мои',
  'ЙОД',
  'σοφός',
  'ΣΟΦΟΣ',
  'ά',
  '하',
  '한국',
  'が',
  'か',
  'हिन्दी',
  'İstanbul',
  'ø',
  'Łódź',
  'ǅ',
  '𐐀𐐨',
  // Letters the tokenizer's older tables fold otherwise than toLowerCase does, and an accent alone.
  'ΛΌΓΟΣ',
  'λόγος',
  'µs',
  'ſun',
  'Ꭰ',
  'Ა',
  '\u0301y',
];
const PUNCTUATION = [' ', ' ', ' ', '  ', '. ', ': ', ', ', '.\n', '\n\n', ' — ', '“', '” ', '(', ') ', '.'];

/** A small random generator (mulberry32), so a failing seed can be run again. */
function randomFrom(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('knowledge snippets', () => {
  it('are what SQLite’s snippet() makes of the same body and terms', () => {
    const db = new Database(':memory:');
    db.exec(
      "CREATE VIRTUAL TABLE f USING fts5 (title, body, tags, tokenize = 'unicode61 remove_diacritics 2')",
    );
    const insert = db.prepare('INSERT INTO f (rowid, title, body, tags) VALUES (?, ?, ?, ?)');
    const snippet = db.prepare<[string], { snippet: string }>(
      `SELECT snippet(f, 1, char(2), char(3), '…', ${SNIPPET_WORDS}) AS snippet FROM f WHERE f MATCH ?`,
    );
    let compared = 0;
    for (let seed = 1; seed <= 2_000; seed++) {
      const random = randomFrom(seed);
      const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
      const words = Math.floor(random() * (random() < 0.2 ? 400 : 60));
      let body = random() < 0.3 ? pick(PUNCTUATION) : '';
      for (let i = 0; i < words; i++) body += pick(VOCABULARY) + pick(PUNCTUATION);
      const terms = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        pick([
          'esc',
          'e',
          'cafe',
          'Café',
          'ÉCO',
          'ecole',
          'pager',
          'rota',
          'zur',
          'x',
          '4',
          'ss',
          'naive',
          'resume',
          'str',
          'мой',
          'йод',
          'σοφ',
          'σοφοσ',
          '하',
          'か',
          'ह',
          'न',
          'λόγοσ',
          'λόγος',
          'μs',
          'sun',
          'ist',
          'o',
          'lodz',
          '𐐨',
          '東',
          'pol',
        ]),
      );
      // Every term in the tags, so the document matches (all terms) whatever its body holds.
      db.exec('DELETE FROM f');
      insert.run(seed, 'title', body, terms.join(' '));
      const match = `{title body tags} : (${terms.map((term) => `"${term}"*`).join(' ')})`;
      const expected = snippet.get(match)?.snippet;
      expect(snippetOf(body, terms, SNIPPET_WORDS), `seed ${seed}: ${JSON.stringify({ body, terms })}`).toBe(
        expected,
      );
      compared++;
    }
    expect(compared).toBe(2_000);
  });
});
