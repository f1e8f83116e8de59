import type { ActionContext, ActionResponse, ResourceWithOptions } from 'adminjs';
import { EkeyAccount } from '../../modules/ekey/entities/ekey-account.entity.js';
import { EkeyOidcClient } from '../../modules/ekey/entities/ekey-oidc-client.entity.js';
import { EkeyOidcKey } from '../../modules/ekey/entities/ekey-oidc-key.entity.js';
import { EkeyRegistrationYear } from '../../modules/ekey/entities/ekey-registration-year.entity.js';
import { EkeyOidcProvider } from '../../modules/ekey/oidc/ekey-oidc-provider.js';
import { EkeyAccountService } from '../../modules/ekey/services/ekey-account.service.js';
import { EkeyOidcClientService } from '../../modules/ekey/services/ekey-oidc-client.service.js';
import { EkeyStatsService } from '../../modules/ekey/services/ekey-stats.service.js';
import { DomainException } from '../../platform/errors/domain-exception.js';
import { actorOf, roleIs } from '../admin-actor.js';
import { serviceEdit, serviceNew } from '../service-actions.js';
import type { Resolve } from './resource-context.js';

const NAV = { name: 'eKey', icon: 'Key' };
const adminOnly = roleIs('admin');
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/[\s,]+/) : []).filter(
    Boolean,
  );
const bool = (v: unknown) => v === true || v === 'true';
const hidden = { isVisible: false };
const shownOnly = { isVisible: { list: false, edit: false, show: true, filter: false } };
const noWrites = {
  new: { isAccessible: false },
  edit: { isAccessible: false },
  delete: { isAccessible: false },
  bulkDelete: { isAccessible: false },
};
const SECRET_PARAMS = [
  'cprHash',
  'cprEncrypted',
  'mobileEncrypted',
  'emailEncrypted',
  'passwordHash',
  'totpSecretEncrypted',
  'totpLastStep',
  'secretEncrypted',
  'jwkEncrypted',
];
/** AdminJS sends every column to the browser, hidden or not: strip the secrets server-side. */
const withoutSecrets = (response: ActionResponse): Promise<ActionResponse> => {
  const records = [response.record, ...((response.records as ActionResponse['record'][]) ?? [])];
  for (const record of records)
    if (record?.params) for (const key of SECRET_PARAMS) delete record.params[key];
  return Promise.resolve(response);
};
const readFor = (check: ReturnType<typeof roleIs>) => ({
  list: { isAccessible: check, isVisible: check, after: withoutSecrets },
  show: { isAccessible: check, after: withoutSecrets },
  search: { isAccessible: check, after: withoutSecrets },
});

/**
 * eKey in the back office: accounts (operators record the in-person identity check),
 * relying parties (admins register them; the secret is shown once), signing keys
 * (rotation), and yearly registration targets. Every write goes through a service.
 */
export function ekeyResources(resolve: Resolve): ResourceWithOptions[] {
  const accounts = resolve(EkeyAccountService);
  const clients = resolve(EkeyOidcClientService);
  const stats = resolve(EkeyStatsService);
  const oidc = resolve(EkeyOidcProvider);
  return [
    {
      resource: EkeyAccount,
      options: {
        navigation: NAV,
        titleProperty: 'nameEn',
        listProperties: [
          'cprLast3',
          'nameEn',
          'nameAr',
          'status',
          'level',
          'residency',
          'activatedAt',
        ],
        editProperties: ['levelEvidenceRef', 'channel'],
        properties: {
          cprHash: hidden,
          cprEncrypted: hidden,
          mobileEncrypted: hidden,
          emailEncrypted: hidden,
          passwordHash: hidden,
          totpSecretEncrypted: hidden,
          totpLastStep: hidden,
          cprLast3: { isTitle: false, description: 'Last three digits of the CPR number' },
          nameAr: { props: { dir: 'rtl' } },
          levelVerifiedBy: shownOnly,
          levelVerifiedAt: shownOnly,
          channel: {
            description: 'Where the identity was checked in person',
            availableValues: [
              { value: 'service_centre', label: 'Service centre' },
              { value: 'kiosk', label: 'Kiosk' },
            ],
          },
          levelEvidenceRef: {
            description: 'Reference of the in-person identity check (recorded with your name)',
          },
        },
        actions: {
          ...readFor(roleIs('admin', 'operator', 'auditor')),
          ...noWrites,
          // "Edit" is the operator's record of an in-person check: the account becomes advanced.
          edit: {
            isAccessible: roleIs('operator'),
            after: withoutSecrets,
            handler: serviceEdit((actor, id, p) =>
              accounts.recordAdvancedIdentity(actor, id, {
                evidenceRef: str(p.levelEvidenceRef) ?? '',
                channel: (str(p.channel) ?? 'service_centre') as 'service_centre' | 'kiosk',
              }),
            ),
          },
        },
      },
    },
    {
      resource: EkeyOidcClient,
      options: {
        navigation: NAV,
        titleProperty: 'name',
        listProperties: ['clientId', 'name', 'agencyId', 'active', 'createdAt'],
        properties: {
          secretEncrypted: hidden,
          metadata: { type: 'mixed', isVisible: { list: false, edit: false, show: true } },
          clientId: { isVisible: { list: true, edit: false, show: true, filter: true } },
          createdBy: shownOnly,
          createdAt: shownOnly,
          active: { isVisible: { list: true, edit: false, show: true } },
          redirectUris: {
            type: 'textarea',
            description: 'One per line (https)',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          postLogoutRedirectUris: {
            type: 'textarea',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          authMethod: {
            availableValues: [
              {
                value: 'client_secret_basic',
                label: 'client_secret_basic (a secret is generated)',
              },
              { value: 'private_key_jwt', label: 'private_key_jwt (give the public JWKS)' },
            ],
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          jwks: {
            type: 'textarea',
            description: 'Public JWKS as JSON (private_key_jwt)',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          scopes: {
            description: 'openid profile phone cpr ekey offline_access',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          serviceToService: {
            type: 'boolean',
            description: 'Client-credentials grant for service calls',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          backchannelLogoutUri: {
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          apiClientId: {
            description:
              'Service-to-service: id of the API client (agency, scopes) its client-credentials tokens act as',
          },
        },
        actions: {
          ...readFor(adminOnly),
          ...noWrites,
          new: {
            isAccessible: adminOnly,
            after: withoutSecrets,
            handler: serviceNew(async (actor, p) => {
              let jwks: { keys: object[] } | undefined;
              try {
                jwks = str(p.jwks) ? (JSON.parse(str(p.jwks)!) as { keys: object[] }) : undefined;
              } catch {
                jwks = undefined;
              }
              const scopes = list(p.scopes);
              const redirectUris = list(p.redirectUris);
              const r = await clients.register(actor, {
                name: str(p.name) ?? '',
                agencyId: str(p.agencyId) ?? null,
                redirectUris,
                postLogoutRedirectUris: list(p.postLogoutRedirectUris),
                authMethod:
                  str(p.authMethod) === 'private_key_jwt'
                    ? 'private_key_jwt'
                    : 'client_secret_basic',
                jwks,
                serviceToService: bool(p.serviceToService),
                userSignIn: redirectUris.length > 0,
                ...(scopes.length ? { scopes } : {}),
                backchannelLogoutUri: str(p.backchannelLogoutUri) || undefined,
                apiClientId: str(p.apiClientId) || undefined,
              });
              return {
                id: r.clientId,
                notice: r.clientSecret
                  ? `Client ${r.clientId} registered. Secret (shown once, copy it now): ${r.clientSecret}`
                  : `Client ${r.clientId} registered`,
              };
            }),
          },
        },
      },
    },
    {
      resource: EkeyOidcKey,
      options: {
        navigation: NAV,
        listProperties: ['kid', 'createdAt', 'retiredAt'],
        properties: { jwkEncrypted: hidden },
        sort: { sortBy: 'createdAt', direction: 'desc' },
        actions: {
          ...readFor(adminOnly),
          ...noWrites,
          rotate: {
            actionType: 'resource',
            icon: 'RefreshCw',
            guard:
              'Make a new signing key? The current one stays published until the next rotation.',
            isAccessible: adminOnly,
            component: false,
            handler: async (_request: unknown, _response: unknown, context: ActionContext) => {
              try {
                const { kid } = await oidc.rotateSigningKey(actorOf(context.currentAdmin));
                return { notice: { message: `New signing key ${kid}`, type: 'success' } };
              } catch (e) {
                const message =
                  e instanceof DomainException ? e.definition.title : 'Rotation failed';
                return { notice: { message, type: 'error' } };
              }
            },
          },
        },
      },
    },
    {
      resource: EkeyRegistrationYear,
      options: {
        navigation: NAV,
        listProperties: ['year', 'target', 'historicRegistrations', 'updatedAt'],
        editProperties: ['year', 'target'],
        properties: { updatedAt: shownOnly, historicRegistrations: shownOnly },
        sort: { sortBy: 'year', direction: 'desc' },
        actions: {
          ...readFor(roleIs('admin', 'auditor')),
          ...noWrites,
          new: {
            isAccessible: adminOnly,
            handler: serviceNew(async (actor, p) => {
              const year = Number(str(p.year));
              await stats.setTarget(actor, year, Number(str(p.target)));
              return { id: String(year), notice: 'Target saved' };
            }),
          },
          edit: {
            isAccessible: adminOnly,
            handler: serviceEdit((actor, id, p) =>
              stats.setTarget(actor, Number(id), Number(str(p.target))),
            ),
          },
        },
      },
    },
  ];
}
