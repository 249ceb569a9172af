import { PAGE_SESSION_ID } from '../../../shared/contract/page-session';

/**
 * The session as a data block for index.html's head: a non-executed script (the CSP's script-src
 * stays 'self'). A data block ends at the first `</script` whatever the JSON's quotes say, so every
 * `<`, `>` and `&` is written as a JSON escape: no value (a user's name) can close it or open markup.
 */
export function pageSessionBlock(session: unknown): string {
  const json = JSON.stringify(session)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026');
  return `<script type="application/json" id="${PAGE_SESSION_ID}">${json}</script>`;
}
