import { orgForViewer } from '../../services/billing-visibility';
import type { OrgsService } from '../../services/orgs-service';
import type { HandlerGroup } from '../handler';

export function orgHandlers(orgs: OrgsService): HandlerGroup {
  return {
    'orgs.list': ({ search, status }, { principal, scope }) =>
      orgs.list(scope, { search, status }).map((org) => orgForViewer(principal, org)),
    'orgs.get': (ref, { principal, scope }) =>
      orgForViewer(principal, 'id' in ref ? orgs.get(scope, ref.id) : orgs.getBySlug(scope, ref.slug)),
    'orgs.create': (input, { principal }) => orgs.create(principal, input),
    'orgs.rename': ({ id, name }, { principal, scope }) => orgs.update(principal, scope, id, { name }),
    'orgs.update': ({ id, slug: _immutable, ...patch }, { principal, scope }) =>
      orgs.update(principal, scope, id, patch),
    'orgs.billingTerms': ({ id }, { scope }) => orgs.billingTerms(scope, id),
    'orgs.setModelMarkup': (input, { principal, scope }) => orgs.setModelMarkup(principal, scope, input),
    'orgs.deactivate': ({ id }, { principal, scope }) => orgs.setActive(principal, scope, id, false),
    'orgs.activate': ({ id }, { principal, scope }) => orgs.setActive(principal, scope, id, true),
    'orgs.delete': ({ id, confirmName }, { principal, scope }) =>
      orgs.delete(principal, scope, id, confirmName),
    'orgs.restore': ({ id }, { principal, scope }) => orgs.restore(principal, scope, id),
  };
}
