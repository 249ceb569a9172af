/**
 * The id of the `<script type="application/json">` block in which `orgdeck serve` hands the page
 * what session.current answers for its cookie, so a cold load need not ask before showing anything.
 * The desktop app's page has none and asks over IPC.
 */
export const PAGE_SESSION_ID = 'orgdeck-session';
