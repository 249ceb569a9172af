// Here rather than in the contract so screens use them without loading zod and its schemas.

/** Snippets mark matches with these two control characters, so no markup ever crosses the API. */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/** The files a knowledge base takes; their text is extracted on import. */
export const KNOWLEDGE_EXTENSIONS = ['.md', '.markdown', '.txt', '.html', '.htm', '.pdf'] as const;
/** A document's text, typed or extracted from a file, is at most this many characters. */
export const MAX_BODY_CHARS = 2_000_000;
