import { describe, expect, it } from 'vitest';
import { isSlug, SLUG_MAX, slugify } from '../../../shared/domain/slug';

describe('slugify', () => {
  it('turns a display name into a URL-safe slug', () => {
    expect(slugify('Acme Café, Inc.')).toBe('acme-cafe-inc');
    expect(slugify('  Ünïcode   Ltd. ')).toBe('unicode-ltd');
  });

  it('answers an empty slug when the name has no letters or digits', () => {
    expect(slugify('!!! ??? ***')).toBe('');
    expect(slugify('')).toBe('');
  });

  it('suggests slugs that pass isSlug, however long the name', () => {
    const long = `${'a'.repeat(SLUG_MAX - 1)} b c d`;
    const slug = slugify(long);
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug.endsWith('-')).toBe(false);
    expect(isSlug(slug)).toBe(true);
    expect(isSlug(slugify('Acme Café, Inc.'))).toBe(true);
  });
});

describe('isSlug', () => {
  it.each(['acme', 'acme-corp', 'a', '9', 'a1-b2-c3', 'x'.repeat(SLUG_MAX)])('accepts %s', (slug) => {
    expect(isSlug(slug)).toBe(true);
  });

  it.each([
    ['a path', '../../etc'],
    ['an uppercase letter', 'A'],
    ['a leading hyphen', '-a'],
    ['a trailing hyphen', 'a-'],
    ['a double hyphen', 'a--b'],
    ['49 characters', 'x'.repeat(49)],
    ['a space', 'a b'],
    ['an empty string', ''],
    ['an accented letter', 'café'],
  ])('rejects %s', (_why, slug) => {
    expect(isSlug(slug)).toBe(false);
  });
});
