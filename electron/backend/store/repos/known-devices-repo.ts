import type { Db } from '../engine';

export function createKnownDevicesRepo(db: Db) {
  const known = db.prepare<{ device_hash: string; user_id: string }, { n: number }>(
    'SELECT 1 AS n FROM known_devices WHERE device_hash = :device_hash AND user_id = :user_id',
  );
  const remember = db.prepare<{ device_hash: string; user_id: string; at: string }>(
    `INSERT INTO known_devices (device_hash, user_id, created_at, last_used_at) VALUES (:device_hash, :user_id, :at, :at)
     ON CONFLICT (device_hash, user_id) DO UPDATE SET last_used_at = :at`,
  );
  const forgetUser = db.prepare<{ user_id: string }>('DELETE FROM known_devices WHERE user_id = :user_id');

  return {
    /** Whether the device with this hash has signed in to this user before. */
    isKnown: (deviceHash: string, userId: string) =>
      known.get({ device_hash: deviceHash, user_id: userId }) !== undefined,
    remember: (deviceHash: string, userId: string, at: string) =>
      void remember.run({ device_hash: deviceHash, user_id: userId, at }),
    forgetUser: (userId: string) => forgetUser.run({ user_id: userId }).changes,
  };
}

export type KnownDevicesRepo = ReturnType<typeof createKnownDevicesRepo>;
