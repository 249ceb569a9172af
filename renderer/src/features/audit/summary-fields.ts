/** Reading an entry's summary, whose shape each action chooses ({ before, after } mostly). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const formatValue = (value: unknown): string =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

const NAMING_FIELDS = ['name', 'title', 'email', 'handle', 'model', 'file'];

/**
 * What the entry's target was called, when its summary says: the after half first, then the
 * before half, then the summary itself (an assignment names its agent beside the org's change).
 */
export function nameInSummary(summary: Record<string, unknown>): string | undefined {
  for (const half of [summary.after, summary.before, summary]) {
    if (!isRecord(half)) continue;
    for (const field of NAMING_FIELDS) {
      const value = half[field];
      if (typeof value === 'string' && value) return value;
    }
  }
  return undefined;
}
