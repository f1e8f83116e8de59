/** Back-office roles. Editors and approvers are bound to one agency. */
export const STAFF_ROLES = [
  'admin',
  'agency_editor',
  'agency_approver',
  'operator',
  'auditor',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const AGENCY_BOUND_ROLES: readonly StaffRole[] = ['agency_editor', 'agency_approver'];

/** Scopes an API client (an e-service) can be granted. */
export const API_SCOPES = [
  'registry:write',
  'payments:write',
  'payments:read',
  'notifications:send',
  'ekey:read',
  'reports:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Who is acting, as the audit log and the access rules see it. */
export type Actor =
  | {
      type: 'staff';
      id: string;
      label: string;
      role: StaffRole;
      agencyId: string | null;
      ip?: string;
    }
  | {
      type: 'api_client';
      id: string;
      label: string;
      agencyId: string;
      scopes: readonly ApiScope[];
      ip?: string;
    }
  | { type: 'citizen'; id: string; label: string; ip?: string }
  | { type: 'system'; id: string; label: string; ip?: string }
  | { type: 'anonymous'; id: null; label: string; ip?: string };

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'diwan', label: 'Diwan' };
