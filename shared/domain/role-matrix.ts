import {
  MEMBERSHIP_GRANTS,
  MEMBERSHIP_ROLES,
  mayBackdate,
  ORG_PERMISSIONS,
  type OrgPermission,
  PERMISSIONS,
  type Permission,
  ROLE_GRANTS,
  ROLES,
} from './permissions';

const CONSOLE_COLUMNS = ['owner', 'admin', 'billing_admin'] as const;

/**
 * The permission matrix as a Markdown table, for docs/roles.md: one row per permission, a column
 * per console role and per membership role, and the channels that need it.
 */
export function roleMatrixMarkdown(channels: Record<string, { permission: Permission }>): string {
  const header = ['Permission', ...CONSOLE_COLUMNS, ...MEMBERSHIP_ROLES, 'Channels'];
  const rows = PERMISSIONS.filter((p) => p !== 'public' && p !== 'session').map((permission) => {
    const perOrg = (ORG_PERMISSIONS as readonly string[]).includes(permission);
    const names = Object.entries(channels)
      .filter(([, spec]) => spec.permission === permission)
      .map(([name]) => `\`${name}\``);
    return [
      `\`${permission}\``,
      ...CONSOLE_COLUMNS.map((role) => (ROLE_GRANTS[role].has(permission) ? 'yes' : '')),
      ...MEMBERSHIP_ROLES.map((role) =>
        perOrg && MEMBERSHIP_GRANTS[role].has(permission as OrgPermission) ? 'in its org' : '',
      ),
      names.join(', '),
    ];
  });
  // Columns padded to their widest cell, as the formatter lays Markdown tables out.
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((cells) => [...(cells[column] as string)].length)),
  );
  const line = (cells: string[], fill = ' ') =>
    `| ${cells.map((cell, column) => cell + fill.repeat((widths[column] as number) - [...cell].length)).join(' | ')} |`;
  const backdaters = ROLES.filter(mayBackdate)
    .map((role) => `\`${role}\``)
    .join(' and ');
  return [
    '# Roles and permissions',
    '',
    'Generated from `shared/domain/permissions.ts` by `npm run docs:roles`; do not edit by hand.',
    '',
    'Console roles (`owner`, `admin`, `billing_admin`) hold their permissions in every org. A `user`',
    'holds memberships, each a role in one org (or in every client org), and the page permissions',
    'narrow them further: `agents.*` needs the Agents page, `knowledge.*` Knowledge, `policies.*`',
    'Guardrails, `audit.read` Audit log. `public` and `session` channels need no role.',
    '',
    'Money (`billing.manage`) also guards fields of broader channels: an agent’s rate in',
    '`agents.create` and `agents.update`, and an org’s rate, billing mode and budget in `orgs.update`',
    '(`orgs.edit`). Other `orgs.update` fields need `orgs.manage`; other `agents.update` fields need',
    '`agents.manage` in the agent’s org. A manager gives and takes roles up to `member`, in their own',
    'org, and invites into it. Requiring two-factor sign-in and resetting a second factor are the',
    'owner’s.',
    '',
    'Dating a change in the past (an assignment, a price) rewrites history that may be billed: only',
    `${backdaters} may; everyone else acts as of now.`,
    '',
    line(header),
    line(
      header.map(() => ''),
      '-',
    ),
    ...rows.map((cells) => line(cells)),
    '',
  ].join('\n');
}
