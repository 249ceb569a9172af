import { Mark } from '@mantine/core';
import { MATCH_END, MATCH_START } from '../../../../shared/domain/knowledge-text';

interface Segment {
  at: number;
  text: string;
  match: boolean;
}

/** Splits a search title or snippet at the contract's match markers. */
function segmentsOf(marked: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const [i, piece] of marked.split(MATCH_START).entries()) {
    // Before the first start marker there is no match; after each one, the match runs to its end marker.
    const [match, rest] = i === 0 ? ['', piece] : (piece.split(MATCH_END, 2) as [string, string?]);
    if (match) segments.push({ at, text: match, match: true });
    at += match.length;
    if (rest) segments.push({ at, text: rest, match: false });
    at += rest?.length ?? 0;
  }
  return segments;
}

/** Search text with its matches highlighted; rendered as React text nodes, so no markup is ever parsed. */
export function MarkedText({ text }: { text: string }) {
  return segmentsOf(text).map((segment) =>
    segment.match ? (
      <Mark key={segment.at}>{segment.text}</Mark>
    ) : (
      <span key={segment.at}>{segment.text}</span>
    ),
  );
}
