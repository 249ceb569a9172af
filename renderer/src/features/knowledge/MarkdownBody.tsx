import { Anchor, Typography } from '@mantine/core';
import Markdown, { type Components } from 'react-markdown';

/**
 * Safety: react-markdown builds React elements from the Markdown itself; HTML in the text stays
 * text (react-markdown escapes it; no rehype-raw), and its URL filter drops javascript: and other unsafe links. Links open
 * outside the console; images show as their description, so a document cannot make the console
 * fetch from another server.
 */
const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <Anchor href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </Anchor>
  ),
  img: ({ alt, src }) => <span title={src}>[image: {alt || 'no description'}]</span>,
};

/** A knowledge document's text as formatted Markdown. */
export function MarkdownBody({ text }: { text: string }) {
  return (
    <Typography fz="sm" style={{ overflowWrap: 'anywhere' }} data-testid="document-markdown">
      <Markdown components={COMPONENTS}>{text}</Markdown>
    </Typography>
  );
}
