export const SLUG_MAX = 48;
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const SLUG_RULE =
  'lowercase letters, digits and single hyphens, starting and ending with a letter or digit';

/** Latin letters that do not decompose into a base letter and a mark. */
const LETTERS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ł: 'l',
  þ: 'th',
  ð: 'd',
  ı: 'i',
};

/** A URL-safe slug suggested from a display name ("Acme Café, Inc." → "acme-cafe-inc", "Søn" → "son"). */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[øæœßđłþðı]/g, (letter) => LETTERS[letter] ?? letter)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, '');
}

export function isSlug(value: string): boolean {
  return value.length <= SLUG_MAX && SLUG_PATTERN.test(value) && !value.includes('--');
}
