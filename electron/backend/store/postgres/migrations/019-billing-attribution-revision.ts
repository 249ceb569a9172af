import type { PostgresMigration } from '../migrate';

/**
 * An import batch places its rows with the agents, stays and prices it read as it began, and on
 * PostgreSQL a price change (or an agent's move) may commit meanwhile, on any server: the batch's
 * rows would then keep the old price after the re-pricing moved every row it could see.
 * `attribution_n` moves only with what placing reads (the billing revision `n` moves with every
 * import batch too), so a batch compares it, under the billing_revision row lock it takes to bump
 * `n`, with the one it read, and is written again when it moved (usage-import-pg.ts). Aliases are
 * left out, as the import's own reload leaves them: one added during an import counts from the next.
 * SQLite needs none: its imports load and write under the one write lock.
 */
export const billingAttributionRevision: PostgresMigration = {
  version: 19,
  name: 'The billing revision counts apart the changes an import places its rows by',
  sql: `
    ALTER TABLE billing_revision ADD COLUMN attribution_n bigint NOT NULL DEFAULT 0;
    CREATE FUNCTION bump_attribution_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE billing_revision SET attribution_n = attribution_n + 1;
      RETURN NULL;
    END $$;
    -- Placing reads an agent's id and handle, and only while it is not deleted: its other edits
    -- (name, email, status) would only make batches written again for nothing.
    CREATE TRIGGER agents_bumps_attribution AFTER INSERT OR DELETE OR UPDATE OF handle, deleted_at ON agents
      FOR EACH STATEMENT EXECUTE FUNCTION bump_attribution_revision();
    CREATE TRIGGER agent_assignments_bumps_attribution AFTER INSERT OR UPDATE OR DELETE ON agent_assignments
      FOR EACH STATEMENT EXECUTE FUNCTION bump_attribution_revision();
    CREATE TRIGGER model_prices_bumps_attribution AFTER INSERT OR UPDATE OR DELETE ON model_prices
      FOR EACH STATEMENT EXECUTE FUNCTION bump_attribution_revision();
    CREATE TRIGGER model_price_rates_bumps_attribution AFTER INSERT OR UPDATE OR DELETE ON model_price_rates
      FOR EACH STATEMENT EXECUTE FUNCTION bump_attribution_revision();
  `,
};
