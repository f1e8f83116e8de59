import type { CurrentAdmin } from 'adminjs';
import type { Actor, StaffRole } from '../platform/auth/roles.js';

/** What the AdminJS session keeps about the signed-in staff member (no secrets). */
export interface StaffSession extends CurrentAdmin {
  id: string;
  email: string;
  title: string;
  role: StaffRole;
  agencyId: string | null;
}

export function actorOf(admin: CurrentAdmin | undefined, ip?: string): Actor {
  const s = admin as StaffSession | undefined;
  if (!s?.id) return { type: 'anonymous', id: null, label: 'anonymous', ip };
  return { type: 'staff', id: s.id, label: s.email, role: s.role, agencyId: s.agencyId, ip };
}

export const roleIs =
  (...roles: StaffRole[]) =>
  ({ currentAdmin }: { currentAdmin?: CurrentAdmin }): boolean =>
    Boolean(currentAdmin && roles.includes((currentAdmin as StaffSession).role));
