import type { MembershipRole, Page, Role } from '../../../../shared/domain/permissions';

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  billing_admin: 'Billing admin',
  user: 'User',
};

export const MEMBERSHIP_ROLE_LABELS: Record<MembershipRole, string> = {
  manager: 'Manager',
  member: 'Member',
  viewer: 'Viewer',
  billing: 'Billing',
};

export const PAGE_LABELS: Record<Page, string> = {
  agents: 'Agents',
  knowledge: 'Knowledge',
  billing: 'Billing',
  guardrails: 'Guardrails',
  audit: 'Audit log',
  settings: 'Settings',
};
