/**
 * The repositories' SQL is written for SQLite; PostgreSQL reads it through this translation, done
 * once per statement. It covers the idioms that differ only in spelling (docs/postgres-design.md);
 * a statement whose meaning differs is written for each engine in its repository instead.
 */
export interface PostgresStatement {
  text: string;
  /** For named parameters: the name bound to $1, $2, …; null when the statement uses `?`. */
  names: string[] | null;
  /**
   * Parameters (0-based) PostgreSQL cannot type from where they stand (`$1 IS NULL`, the
   * repositories' "no filter" test): bound with the type of their value, text for null.
   */
  typedByValue: number[];
}

/** SQLite idioms and their PostgreSQL spelling, applied outside string literals. */
const SPELLINGS: [RegExp, string][] = [
  // OrgScope's parameter is a JSON array of org ids.
  [/json_each\((\$\d+)\)/g, 'json_array_elements_text($1::json)'],
  [/\bifnull\(/gi, 'coalesce('],
  [/\binstr\(/gi, 'strpos('],
  [/\bchar\(10\)/gi, 'chr(10)'],
  [/([\w.]+) COLLATE NOCASE/g, 'lower($1)'],
  // SQLite's LIKE ignores ASCII case.
  [/ LIKE /g, ' ILIKE '],
];

/** Rewrites :name, @name, $name and ? parameters as $n, leaving string literals and :: casts alone. */
function numberParameters(sql: string): Omit<PostgresStatement, 'typedByValue'> {
  const names: string[] = [];
  let positional = 0;
  let text = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      text += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      text += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      text += '::';
      i += 2;
      continue;
    }
    if ((c === ':' || c === '@' || c === '$') && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const match = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1));
      const name = match?.[0] ?? '';
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      text += `$${index + 1}`;
      i += 1 + name.length;
      continue;
    }
    if (c === '?') {
      positional += 1;
      text += `$${positional}`;
      i += 1;
      continue;
    }
    text += c;
    i += 1;
  }
  if (names.length > 0 && positional > 0) throw new Error('A statement mixes named and ? parameters.');
  return { text, names: positional > 0 || names.length === 0 ? null : names };
}

/** `INSERT OR IGNORE` is `INSERT … ON CONFLICT DO NOTHING`, placed before any RETURNING. */
function insertOrIgnore(sql: string): string {
  if (!/INSERT OR IGNORE INTO/i.test(sql)) return sql;
  const plain = sql.replace(/INSERT OR IGNORE INTO/i, 'INSERT INTO');
  const returning = plain.search(/\bRETURNING\b/i);
  return returning === -1
    ? `${plain.trimEnd()} ON CONFLICT DO NOTHING`
    : `${plain.slice(0, returning)}ON CONFLICT DO NOTHING ${plain.slice(returning)}`;
}

export function toPostgres(sql: string): PostgresStatement {
  const numbered = numberParameters(sql);
  let text = insertOrIgnore(numbered.text);
  for (const [pattern, spelling] of SPELLINGS) text = text.replace(pattern, spelling);
  const typedByValue = [...text.matchAll(/\$(\d+) IS (?:NOT )?NULL/g)].map((match) => Number(match[1]) - 1);
  return { ...numbered, text, typedByValue: [...new Set(typedByValue)] };
}
