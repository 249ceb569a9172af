import type { Migration } from '../migrate';

export const statements: Migration = {
  version: 17,
  name: 'numbered, immutable monthly statements and credit notes; the MSP logo they show',
  sql: `
    -- The MSP's logo, by content: a statement names the one it was issued with, so a new logo
    -- leaves issued statements as they were.
    CREATE TABLE msp_logos (
      sha256       TEXT PRIMARY KEY,
      content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
      data         BLOB NOT NULL,
      created_at   TEXT NOT NULL
    ) STRICT;

    -- One row per issued document. Its number is the year's next sequence number, taken inside the
    -- inserting transaction (UNIQUE (year, seq) backs it), so numbers never gap or collide.
    -- document is the issued content (JSON) the JSON and CSV files come from; neither it nor pdf is ever updated.
    CREATE TABLE statements (
      id           TEXT PRIMARY KEY,
      number       TEXT NOT NULL UNIQUE,
      year         INTEGER NOT NULL,
      seq          INTEGER NOT NULL CHECK (seq > 0),
      kind         TEXT NOT NULL CHECK (kind IN ('statement', 'credit_note')),
      -- No foreign key: an issued statement outlives a purge of its org (its document names the org).
      org_id       TEXT NOT NULL,
      month        TEXT NOT NULL,
      issued_at    TEXT NOT NULL,
      total_micros INTEGER NOT NULL,
      credits      TEXT UNIQUE REFERENCES statements (id) ON DELETE CASCADE,
      voided_by    TEXT REFERENCES statements (id) ON DELETE SET NULL,
      document     TEXT NOT NULL,
      -- The PDF as issued, kept so its bytes never change, whatever later versions render.
      pdf          BLOB NOT NULL,
      UNIQUE (year, seq),
      CHECK ((kind = 'credit_note') = (credits IS NOT NULL))
    ) STRICT;
    -- One standing statement per org and month: voiding one opens the month again.
    CREATE UNIQUE INDEX statements_one_per_month ON statements (org_id, month)
      WHERE kind = 'statement' AND voided_by IS NULL;

    -- What each statement billed, per month it billed for (an adjustment bills an earlier month):
    -- the figures a recomputation is compared with to find what is still to adjust.
    CREATE TABLE statement_lines (
      statement_id TEXT NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
      position     INTEGER NOT NULL,
      org_id       TEXT NOT NULL,
      for_month    TEXT NOT NULL,
      kind         TEXT NOT NULL,
      key          TEXT NOT NULL,
      description  TEXT NOT NULL,
      amount_micros INTEGER NOT NULL,
      -- Pico-USD and token counts can pass 2^63 together: kept as decimal text, summed in BigInt.
      cost_pico    TEXT NOT NULL,
      tokens       TEXT NOT NULL,
      PRIMARY KEY (statement_id, position)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX statement_lines_by_org_month ON statement_lines (org_id, for_month);
  `,
};
