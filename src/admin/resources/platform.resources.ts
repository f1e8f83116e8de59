import type { ActionRequest, ResourceWithOptions } from 'adminjs';
import { Agency } from '../../platform/agencies/agency.entity.js';
import { AgencyService } from '../../platform/agencies/agency.service.js';
import { AuditEvent } from '../../platform/audit/audit-event.entity.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import { ApiClient } from '../../platform/auth/api-client.entity.js';
import { ApiClientService } from '../../platform/auth/api-client.service.js';
import { API_SCOPES, STAFF_ROLES, type StaffRole } from '../../platform/auth/roles.js';
import { StaffMember } from '../../platform/auth/staff-member.entity.js';
import { StaffService } from '../../platform/auth/staff.service.js';
import { roleIs } from '../admin-actor.js';
import { serviceEdit, serviceNew, serviceRecordAction } from '../service-actions.js';
import { NAV, onlyFor, readOnly, type Resolve } from './resource-context.js';

const adminOnly = roleIs('admin');
const str = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : undefined;
const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string' && v
      ? v.split(',').map((s) => s.trim())
      : [];

export function platformResources(resolve: Resolve): ResourceWithOptions[] {
  const agencies = resolve(AgencyService);
  const staff = resolve(StaffService);
  const clients = resolve(ApiClientService);
  const audit = resolve(AuditService);
  const auditorsOnly = onlyFor(roleIs('admin', 'auditor'));
  return [
    {
      resource: Agency,
      options: {
        navigation: NAV.platform,
        titleProperty: 'nameEn',
        listProperties: ['code', 'nameAr', 'nameEn', 'parentId', 'website'],
        properties: {
          version: { isVisible: false },
          createdAt: { isVisible: { list: false, edit: false, show: true, filter: true } },
          updatedAt: { isVisible: { list: false, edit: false, show: true } },
          nameAr: { props: { dir: 'rtl' } },
        },
        actions: {
          new: {
            isAccessible: adminOnly,
            handler: serviceNew(async (actor, p) =>
              agencies.create(actor, {
                code: str(p.code) ?? '',
                nameAr: str(p.nameAr) ?? '',
                nameEn: str(p.nameEn) ?? '',
                parentId: str(p.parentId) ?? null,
                website: str(p.website) ?? null,
                email: str(p.email) ?? null,
                phone: str(p.phone) ?? null,
              }),
            ),
          },
          edit: {
            isAccessible: adminOnly,
            handler: serviceEdit((actor, id, p) =>
              agencies.update(actor, id, {
                code: str(p.code),
                nameAr: str(p.nameAr),
                nameEn: str(p.nameEn),
                parentId: str(p.parentId) ?? null,
                website: str(p.website) ?? null,
                email: str(p.email) ?? null,
                phone: str(p.phone) ?? null,
              }),
            ),
          },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
        },
      },
    },
    {
      resource: StaffMember,
      options: {
        navigation: NAV.security,
        titleProperty: 'email',
        listProperties: ['email', 'name', 'role', 'agencyId', 'active', 'lastLoginAt'],
        properties: {
          passwordHash: { isVisible: false },
          failedLogins: { isVisible: { list: false, edit: false, show: true } },
          lockedUntil: { isVisible: { list: false, edit: false, show: true } },
          lastLoginAt: { isVisible: { list: true, edit: false, show: true } },
          mustChangePassword: { isVisible: { list: false, edit: false, show: true } },
          version: { isVisible: false },
          createdAt: { isVisible: { list: false, edit: false, show: true } },
          updatedAt: { isVisible: { list: false, edit: false, show: true } },
          role: { availableValues: STAFF_ROLES.map((r) => ({ value: r, label: r })) },
          password: {
            type: 'password',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
        },
        actions: {
          ...onlyFor(adminOnly),
          new: {
            isAccessible: adminOnly,
            handler: serviceNew(async (actor, p) =>
              staff.create(actor, {
                email: str(p.email) ?? '',
                name: str(p.name) ?? '',
                role: (str(p.role) ?? 'operator') as StaffRole,
                agencyId: str(p.agencyId) ?? null,
                password: str(p.password) ?? '',
              }),
            ),
          },
          edit: {
            isAccessible: adminOnly,
            handler: serviceEdit((actor, id, p) =>
              staff.update(actor, id, {
                name: str(p.name),
                role: str(p.role) as StaffRole | undefined,
                agencyId: str(p.agencyId) ?? null,
                active:
                  p.active === undefined ? undefined : p.active === true || p.active === 'true',
                password: str(p.password) || undefined,
              }),
            ),
          },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
        },
      },
    },
    {
      resource: ApiClient,
      options: {
        navigation: NAV.security,
        listProperties: ['name', 'agencyId', 'scopes', 'keyId', 'lastUsedAt', 'revokedAt'],
        properties: {
          secretHash: { isVisible: false },
          keyId: { isVisible: { list: true, edit: false, show: true, filter: true } },
          createdBy: { isVisible: { list: false, edit: false, show: true } },
          createdAt: { isVisible: { list: false, edit: false, show: true } },
          lastUsedAt: { isVisible: { list: true, edit: false, show: true } },
          revokedAt: { isVisible: { list: true, edit: false, show: true } },
          scopes: {
            isArray: true,
            availableValues: API_SCOPES.map((s) => ({ value: s, label: s })),
          },
        },
        actions: {
          ...onlyFor(adminOnly),
          new: {
            isAccessible: adminOnly,
            handler: serviceNew(async (actor, p) => {
              const { client, apiKey } = await clients.create(actor, {
                name: str(p.name) ?? '',
                agencyId: str(p.agencyId) ?? '',
                scopes: list(p.scopes),
                expiresAt: str(p.expiresAt) ? new Date(str(p.expiresAt)!) : null,
              });
              return { id: client.id, notice: `API key (shown once, copy it now): ${apiKey}` };
            }),
          },
          edit: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          revoke: {
            actionType: 'record',
            icon: 'Slash',
            guard: 'Revoke this API key? E-services using it stop working at once.',
            isAccessible: adminOnly,
            component: false,
            isVisible: ({ record }) => !record?.params.revokedAt,
            handler: serviceRecordAction(async (actor, id) => {
              await clients.revoke(actor, id);
              return 'API key revoked';
            }),
          },
        },
      },
    },
    {
      resource: AuditEvent,
      options: {
        navigation: NAV.security,
        sort: { sortBy: 'seq', direction: 'desc' },
        listProperties: [
          'seq',
          'occurredAt',
          'actorLabel',
          'action',
          'objectType',
          'objectId',
          'outcome',
        ],
        properties: { details: { type: 'mixed' } },
        actions: {
          ...auditorsOnly,
          ...readOnly,
          // Entries payment batches queued are chained ~20 ms after their commit, or by the
          // sweep after a crash: the list chains what is committed first, so it shows them.
          list: {
            ...auditorsOnly.list,
            before: async (request: ActionRequest) => {
              await audit.sealQueued();
              return request;
            },
          },
        },
      },
    },
  ];
}
