import type { Page, Role } from '../../../../shared/domain/permissions';

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', user: 'User' };

export const PAGE_LABELS: Record<Page, string> = {
  agents: 'Agents',
  knowledge: 'Knowledge',
  billing: 'Billing',
  guardrails: 'Guardrails',
  audit: 'Audit log',
  settings: 'Settings',
};
