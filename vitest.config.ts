import { defineConfig } from 'vitest/config';

/** Suites that run against both engines: the PostgreSQL project gives each test backend a database. */
const BOTH_ENGINES = [
  'test/integration/orgs.test.ts',
  'test/integration/moved-org-billing.test.ts',
  'test/integration/knowledge.test.ts',
  'test/integration/knowledge-sharing-choice.test.ts',
  'test/integration/policies.test.ts',
  'test/integration/audit-trail.test.ts',
  'test/integration/auth.test.ts',
  'test/integration/agent-aliases.test.ts',
  'test/integration/http.test.ts',
  'test/integration/two-factor.test.ts',
  'test/integration/billing-rules.test.ts',
  'test/integration/billing-independent.test.ts',
  'test/integration/usage-import.test.ts',
  'test/integration/statements.test.ts',
  'test/integration/budget-alerts.test.ts',
  'test/integration/home-attention.test.ts',
  'test/integration/agent-figures.test.ts',
  'test/integration/provider-import.test.ts',
  'test/integration/provider-undo.test.ts',
  'test/integration/usage-undo.test.ts',
  'test/integration/cli.test.ts',
  'test/integration/price-cli.test.ts',
  'test/integration/token-cli.test.ts',
  'test/integration/agent-import-cli.test.ts',
  'test/integration/alerts-cli.test.ts',
  'test/integration/roles.test.ts',
  'test/integration/invites.test.ts',
  'test/integration/token-revocation.test.ts',
  'test/integration/org-purge.test.ts',
  'test/integration/knowledge-extraction.test.ts',
  'test/integration/alerts-two-servers.test.ts',
  'test/integration/isolation.property.test.ts',
  'test/integration/org-transfer.test.ts',
  'test/integration/assignment-usage.test.ts',
  'test/integration/billing-snapshot-scope.test.ts',
  'test/integration/import-job-hosts.test.ts',
  'test/integration/rollup-writes-beside-servers.test.ts',
  'test/integration/users-beside-servers.test.ts',
  'test/integration/audit-head-beside-servers.test.ts',
  'test/integration/archive-import-beside-commands.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // Vitest's default leaves a core to itself (one test file at a time on CI's two cores); most
    // files here wait on what they start (orgdeck serve, the CLI, PostgreSQL), so two at once.
    maxWorkers: '100%',
    testTimeout: 20_000,
    // Building a test world (a store, users, orgs, sign-ins) takes 1–3 s here, more on a fresh
    // PostgreSQL database, and over 10 s on a loaded machine: the limit is for a hook that hangs.
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: BOTH_ENGINES,
          globalSetup: ['test/fixtures/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
