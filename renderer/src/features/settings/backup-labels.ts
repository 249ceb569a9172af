import type { BackupKind } from '../../../../shared/contract/backups';

export const KIND_LABELS: Record<BackupKind, string> = {
  automatic: 'Daily',
  manual: 'Manual',
  'before-restore': 'Before a restore',
};

const UNITS = ['bytes', 'KB', 'MB', 'GB'] as const;

/** 1536 → "1.5 KB": file sizes as people read them. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${UNITS[0]}` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}
