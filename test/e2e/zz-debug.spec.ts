import { MONTH, seedBilling, writeUsage } from './billing-setup';
import { cli, initOwner } from './console-server';
import { signIn, test } from './fixtures';

test('debug widths', async ({ page, server, dataDir }) => {
  initOwner(dataDir);
  seedBilling(dataDir);
  cli(dataDir, ['usage', 'import', writeUsage(dataDir)]);
  await signIn(page, server.url);
  await page.setViewportSize({ width: 1024, height: 768 });
  for (const path of [`/billing?month=${MONTH}`, `/agents?month=${MONTH}`, '/orgs/acme/agents']) {
    await page.goto(`${server.url}/#${path}`);
    await page.waitForTimeout(2500);
    const report = await page.evaluate(`(() => {
      const out = [document.documentElement.scrollWidth];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > 1030 && r.width > 0) out.push(el.tagName + '.' + (el.className?.baseVal ?? el.className) + ' ' + Math.round(r.left) + '-' + Math.round(r.right) + ' ' + (el.getAttribute('aria-label') ?? ''));
      }
      return out.slice(0, 15);
    })()`);
    console.log(path, JSON.stringify(report, null, 1));
  }
});
