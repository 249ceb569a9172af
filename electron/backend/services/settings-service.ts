import { AppError } from '../../../shared/contract/envelope';
import { DEFAULT_SETTINGS, Settings } from '../../../shared/contract/settings';
import type { Store } from '../store/store';
import { type AuditLog, changes } from './audit-log';
import type { Principal } from './principal';

export function createSettingsService(store: Store, audit: AuditLog) {
  function current(): Settings {
    // Stored values are re-validated so a hand-edited row cannot break sign-in.
    const parsed = Settings.partial().safeParse(store.settings.all());
    return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  }

  return {
    current,
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
