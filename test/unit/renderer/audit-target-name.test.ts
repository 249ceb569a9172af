import { describe, expect, it } from 'vitest';
import { nameInSummary } from '../../../renderer/src/features/audit/summary-fields';

describe('the Audit page names each entry’s target from its summary', () => {
  it('reads the agent an assignment names beside its org change, not the org', () => {
    expect(nameInSummary({ handle: 'courier', after: { org: 'acme', from: '2026-12-07' } })).toBe('courier');
    expect(nameInSummary({ handle: 'courier', before: { org: 'acme' }, after: { org: null } })).toBe(
      'courier',
    );
  });

  it('prefers the name after the change, then before it, over the summary’s own', () => {
    expect(nameInSummary({ name: 'kept', before: { name: 'Old' }, after: { name: 'New' } })).toBe('New');
    expect(nameInSummary({ name: 'kept', before: { name: 'Old' }, after: { enabled: false } })).toBe('Old');
  });

  it('has no name for a summary that gives none (the page then shows the id)', () => {
    expect(
      nameInSummary({ before: { org: 'acme' }, after: { org: 'another organization' } }),
    ).toBeUndefined();
  });
});
