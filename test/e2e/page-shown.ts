/// <reference lib="dom" />
// The watcher below runs in the browser, and so is typed against the DOM.
import type { BrowserContext, Page } from '@playwright/test';
import type { PageMarker } from './console-pages';

type ShownClock = { shownAt?: number };

/**
 * Runs inside the page before its own scripts: at the frame after each change to the document (or
 * a stylesheet's arrival, or a transition's end), looks for the marker (and no skeleton, `aria-busy`), and notes the page clock (ms since the navigation
 * started) of the first frame that shows it. The driver's own round trips and polling then take no
 * part in the figure: it is what a user in front of the window would time.
 *
 * Accessible names are read as the console sets them: `aria-label`, `aria-labelledby`, or (headings
 * and tabs) the element's text; names match as Playwright's `getByRole` does, ignoring case.
 */
function watchForMarker(marker: PageMarker) {
  const clock = window as unknown as ShownClock;
  const SELECTORS: Record<PageMarker['role'], string> = {
    region: 'section, [role="region"]',
    table: 'table, [role="table"]',
    heading: marker.level ? `h${marker.level}` : 'h1, h2, h3, h4, h5, h6, [role="heading"]',
    tab: '[role="tab"]',
  };
  const nameOf = (element: Element) => {
    const label = element.getAttribute('aria-label');
    if (label !== null) return label;
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy !== null)
      return labelledBy
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    return marker.role === 'heading' || marker.role === 'tab' ? (element.textContent ?? '') : '';
  };
  const wanted = marker.name?.toLowerCase();
  const shows = () => {
    if (document.querySelector('[aria-busy="true"]')) return false;
    for (const element of document.querySelectorAll(SELECTORS[marker.role])) {
      if (wanted !== undefined && !nameOf(element).trim().toLowerCase().includes(wanted)) continue;
      if (element.getClientRects().length === 0) continue;
      if (marker.text === undefined || element.textContent?.includes(marker.text)) return true;
    }
    return false;
  };
  let framePending = false;
  const lookNextFrame = () => {
    if (framePending || clock.shownAt !== undefined) return;
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      if (clock.shownAt !== undefined || !shows()) return;
      clock.shownAt = performance.now();
      observer.disconnect();
    });
  };
  const observer = new MutationObserver(lookNextFrame);
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  // A page's stylesheet arriving, or a transition ending, can show the marker without changing the
  // document: look again then too.
  for (const event of ['load', 'transitionend', 'animationend'])
    document.addEventListener(event, lookNextFrame, true);
}

/**
 * Makes every page opened in `context` note when it first shows `marker`. The watcher goes in as
 * source text: tsx compiles it keeping function names through an `__name` helper the page lacks,
 * so the page gets that helper as a no-op.
 */
export const watchPagesFor = (context: BrowserContext, marker: PageMarker) =>
  context.addInitScript({
    content: `var __name = (target) => target; (${watchForMarker.toString()})(${JSON.stringify(marker)});`,
  });

/**
 * The page clock at which the page first showed its marker, waited for in the page itself: a
 * property read each frame. (Playwright's assertions, while they fail, snapshot the page's
 * accessibility tree for their message, 8–35 ms of the page's main thread each in a CPU profile of
 * a cold load: asked during the load they would slow what they time.)
 */
export async function shownAt(page: Page, timeout = 15_000): Promise<number> {
  const at = await page
    .waitForFunction(() => (window as unknown as ShownClock).shownAt, undefined, { timeout })
    .then((handle) => handle.jsonValue())
    .catch(() => undefined);
  if (at === undefined) throw new Error(`the page did not show its marker within ${timeout} ms`);
  return at;
}
