import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/contract/envelope';
import { DEFAULT_SETTINGS, LOGO_MAX_BYTES, Settings } from '../../../shared/contract/settings';
import { DAY_MS, HOUR_MS } from '../../../shared/domain/days';
import type { Clock } from '../store/clock';
import type { Store } from '../store/store';
import { type AuditLog, changes } from './audit-log';
import { pdfDocumentClass } from './pdf-document';
import type { Principal } from './principal';

/** The settings key naming the current logo (its SHA-256 in msp_logos); not part of Settings. */
const LOGO_KEY = 'mspLogo';

/** What the file's first bytes say it is: a PNG or a JPEG, or neither. */
function imageType(bytes: Buffer): 'image/png' | 'image/jpeg' | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  return null;
}

/** Whether the PDF library can draw it: a file that starts right but is broken would fail every close. */
function drawable(bytes: Buffer): boolean {
  try {
    // openImage parses the image as drawing it would; @types/pdfkit leaves it out.
    const PDFDocument = pdfDocumentClass();
    const doc = new PDFDocument({ autoFirstPage: false }) as unknown as { openImage(image: Buffer): unknown };
    doc.openImage(bytes);
    return true;
  } catch {
    return false;
  }
}

/** When a sign-in begun at `created_at` ends under a limit of `limitMs`, if sooner than it would; else null. */
function capped(row: { created_at: string; expires_at: string }, limitMs: number): string | null {
  const end = Date.parse(row.created_at) + limitMs;
  return end < Date.parse(row.expires_at) ? new Date(end).toISOString() : null;
}

export function createSettingsService(store: Store, audit: AuditLog, clock: Clock) {
  function current(): Settings {
    // Stored values are re-validated so a hand-edited row cannot break sign-in.
    const parsed = Settings.partial().safeParse(store.settings.all());
    return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  }

  /** The current logo's hash, if one is set and stored. */
  function logoHash(): string | null {
    const value = store.settings.all()[LOGO_KEY];
    return typeof value === 'string' && store.logos.get(value) ? value : null;
  }

  function logo() {
    const sha256 = logoHash();
    const stored = sha256 ? store.logos.get(sha256) : undefined;
    if (!sha256 || !stored) return { logo: null };
    return { logo: { contentType: stored.content_type, sha256, base64: stored.data.toString('base64') } };
  }

  return {
    current,
    logoHash,
    logo,
    setLogo(actor: Pick<Principal, 'userId' | 'label'>, base64: string | null) {
      let sha256: string | null = null;
      let bytes: Buffer | null = null;
      let contentType: 'image/png' | 'image/jpeg' | null = null;
      if (base64 !== null) {
        bytes = Buffer.from(base64, 'base64');
        if (bytes.length === 0 || bytes.length > LOGO_MAX_BYTES)
          throw new AppError('VALIDATION', 'A logo is a PNG or JPEG file of at most 512 KB.');
        contentType = imageType(bytes);
        if (!contentType || !drawable(bytes))
          throw new AppError('VALIDATION', 'That file is not a PNG or JPEG image a statement can show.');
        sha256 = createHash('sha256').update(bytes).digest('hex');
      }
      const before = logoHash();
      store.transaction(() => {
        if (bytes && sha256 && contentType)
          store.logos.put(sha256, contentType, bytes, clock.now().toISOString());
        if (before === sha256) return;
        store.settings.set(LOGO_KEY, sha256);
        audit.record(actor, {
          action: 'settings.changed',
          orgId: null,
          target: { type: 'settings', id: 'console' },
          summary: { before: { logo: before }, after: { logo: sha256 } },
        });
      });
      return logo();
    },
    update(actor: Pick<Principal, 'userId' | 'label' | 'role'>, patch: Partial<Settings>): Settings {
      return store.transaction(() => {
        const before = current();
        if (
          patch.requireTwoFactor !== undefined &&
          patch.requireTwoFactor !== before.requireTwoFactor &&
          actor.role !== 'owner'
        )
          throw new AppError('FORBIDDEN', 'Only an owner decides whether two-factor sign-in is required.');
        const after = { ...before, ...patch };
        const diff = changes(before, after);
        if (!diff) return before;
        for (const [key, value] of Object.entries(diff.after)) store.settings.set(key, value);
        // A lower limit shortens what is open to it for good: raising it again later extends none.
        const now = clock.now().toISOString();
        if (after.sessionTimeoutHours < before.sessionTimeoutHours)
          for (const session of store.sessions.unexpired(now)) {
            const end = capped(session, after.sessionTimeoutHours * HOUR_MS);
            if (end !== null) store.sessions.setExpiry(session.token_hash, end);
          }
        if (after.apiTokenMaxDays < before.apiTokenMaxDays)
          for (const token of store.apiTokens.unexpired(now)) {
            const end = capped(token, after.apiTokenMaxDays * DAY_MS);
            if (end !== null) store.apiTokens.setExpiry(token.id, end);
          }
        audit.record(actor, {
          action: 'settings.changed',
          orgId: null,
          target: { type: 'settings', id: 'console' },
          summary: diff,
        });
        return after;
      });
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
