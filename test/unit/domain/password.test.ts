import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../../shared/domain/password';

describe('passwordProblem', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblem('correct horse battery')).toBeNull();
    expect(passwordProblem('abcdefghij')).toBeNull();
  });

  it('asks for at least the minimum length', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(passwordProblem('abcdefghi')).toMatch(/at least 10 characters/);
    expect(passwordProblem('')).toMatch(/at least 10 characters/);
  });

  it('refuses long passwords made of only a few different characters', () => {
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/different characters/);
    expect(passwordProblem('abcabcabcabc')).toMatch(/different characters/);
    expect(passwordProblem('abcdabcdabcd')).toBeNull();
  });
});
