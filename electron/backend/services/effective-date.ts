import { AppError } from '../../../shared/contract/envelope';
import { mayBackdate } from '../../../shared/domain/permissions';
import type { Principal } from './principal';

/**
 * Refuses a change dated before `now` unless the actor may backdate (see permissions.ts). Both are
 * ISO strings of one shape (UTC times, or days), which compare in time order.
 */
export function refuseBackdating(actor: Principal, when: string, now: string): void {
  if (when < now && !mayBackdate(actor.role)) {
    throw new AppError('FORBIDDEN', 'Only owners and admins can date a change in the past.');
  }
}
