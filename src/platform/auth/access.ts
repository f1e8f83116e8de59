import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import type { Actor, ApiScope, StaffRole } from './roles.js';

/** Least privilege, per role and per agency: the checks every module reuses. */
export function hasRole(actor: Actor, ...roles: StaffRole[]): boolean {
  return actor.type === 'staff' && roles.includes(actor.role);
}

export function requireRole(actor: Actor, ...roles: StaffRole[]): void {
  if (!hasRole(actor, ...roles))
    throw new DomainException(
      PlatformErrors.FORBIDDEN,
      `This needs one of the roles: ${roles.join(', ')}`,
    );
}

export function hasScope(actor: Actor, scope: ApiScope): boolean {
  return actor.type === 'api_client' && actor.scopes.includes(scope);
}

/** The agency an actor acts for; `null` for national roles (admin, operator, auditor). */
export function agencyOf(actor: Actor): string | null {
  if (actor.type === 'api_client') return actor.agencyId;
  if (actor.type === 'staff') return actor.agencyId;
  return null;
}

/** Agency-bound actors may only touch their own agency's records. Admins may touch any. */
export function requireSameAgency(actor: Actor, agencyId: string): void {
  if (actor.type === 'staff' && actor.role === 'admin') return;
  if (actor.type === 'system') return;
  if (agencyOf(actor) !== agencyId) throw new DomainException(PlatformErrors.OTHER_AGENCY);
}
