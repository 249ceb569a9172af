import type { Migration } from '../migrate';

export const knownDevices: Migration = {
  version: 13,
  name: 'Known devices: clients that signed in to an account before, exempt from lockouts by others',
  sql: `
    -- A browser that signed in keeps a random device secret in an HttpOnly cookie; only its SHA-256
    -- is kept here. It is no credential: it only spares that client the throttles a stranger's
    -- wrong passwords build up. Deleting a user deletes their devices.
    CREATE TABLE known_devices (
      device_hash  TEXT NOT NULL,
      user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at   TEXT NOT NULL,
      last_used_at TEXT NOT NULL,
      PRIMARY KEY (device_hash, user_id)
    ) STRICT;
    CREATE INDEX known_devices_user ON known_devices (user_id);
  `,
};
