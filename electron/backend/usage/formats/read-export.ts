import type { UsageSource } from '../../../../shared/domain/usage-identity';
import type { BadRow } from '../import-usage';
import { anthropicRows } from './anthropic';
import { liteLlmRows } from './litellm';
import { openAiRows } from './openai';
import type { ProviderParsed, ProviderUsageRow } from './provider-row';

const ROWS_OF: Record<UsageSource, (value: unknown) => ProviderParsed[]> = {
  openai: openAiRows,
  anthropic: anthropicRows,
  litellm: liteLlmRows,
};

/**
 * The JSON values of a saved export with the line each starts on: one document (a page, or an
 * array), or one per line (pages or spend-log rows saved as JSON Lines).
 */
function* jsonValues(text: string): Generator<{ line: number; value: unknown } | BadRow> {
  try {
    yield { line: 1, value: JSON.parse(text) };
    return;
  } catch {
    // Not one document: read it as JSON Lines.
  }
  const lines = text.split('\n');
  for (let at = 0; at < lines.length; at++) {
    const line = (lines[at] as string).trim();
    if (line === '') continue;
    try {
      yield { line: at + 1, value: JSON.parse(line) };
    } catch {
      yield { line: at + 1, reason: 'not valid JSON' };
    }
  }
}

export interface ProviderExport {
  rows: ProviderUsageRow[];
  /** Records that are not usage rows, by the line their value starts on. */
  bad: BadRow[];
}

/** Reads a provider's export in our rows' vocabulary; `format` says whose it is. */
export function readProviderExport(text: string, format: UsageSource): ProviderExport {
  const rows: ProviderUsageRow[] = [];
  const bad: BadRow[] = [];
  for (const read of jsonValues(text.replace(/^\uFEFF/, ''))) {
    if ('reason' in read) {
      bad.push(read);
      continue;
    }
    for (const parsed of ROWS_OF[format](read.value)) {
      if (typeof parsed === 'string') bad.push({ line: read.line, reason: parsed });
      else rows.push(parsed);
    }
  }
  return { rows, bad };
}
