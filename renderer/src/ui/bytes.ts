import { lazily } from '../../../shared/lazily';

const decimal = lazily(() => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }));

/** A byte count for people: "812 bytes", "48.2 KB", "1.3 MB". */
export function kb(count: number): string {
  if (count < 1024) return `${decimal().format(count)} bytes`;
  if (count < 1024 * 1024) return `${decimal().format(count / 1024)} KB`;
  return `${decimal().format(count / (1024 * 1024))} MB`;
}
