import { useOrgs } from '../orgs/queries';

/** The orgs a user can be bound to, as select options. */
export function useOrgOptions(): { value: string; label: string }[] {
  const orgs = useOrgs('');
  return (orgs.data ?? []).map((org) => ({ value: org.id, label: org.name }));
}
