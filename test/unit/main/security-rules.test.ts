import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl, isTrustedRendererUrl } from '../../../electron/main/security-rules';

describe('external links', () => {
  it.each(['https://example.com/docs', 'http://intranet.local:8080/x'])('opens %s in the browser', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'not a url',
    'data:text/html,<script>1</script>',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});

describe('trusted renderer frames', () => {
  const packaged = 'file:///opt/Orgdeck/resources/app.asar/out/renderer/index.html';

  it('trusts the packaged index.html, with or without a hash route', () => {
    expect(isTrustedRendererUrl(packaged, packaged)).toBe(true);
    expect(isTrustedRendererUrl(`${packaged}#/orgs`, packaged)).toBe(true);
  });

  it('refuses other files and web pages', () => {
    expect(isTrustedRendererUrl('file:///tmp/evil.html', packaged)).toBe(false);
    expect(isTrustedRendererUrl('https://example.com/', packaged)).toBe(false);
    expect(isTrustedRendererUrl('', packaged)).toBe(false);
  });

  it('trusts only the dev server origin in development', () => {
    const dev = 'http://localhost:5173/';
    expect(isTrustedRendererUrl('http://localhost:5173/#/orgs', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
  });
});
