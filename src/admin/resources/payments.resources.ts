import type {
  ActionContext,
  ActionRequest,
  ActionResponse,
  CurrentAdmin,
  ResourceWithOptions,
} from 'adminjs';
import { PAYMENT_CHANNEL_CODES } from '../../modules/payments/domain/channels.js';
import { PaymentReconciliationService } from '../../modules/payments/services/payment-reconciliation.service.js';
import { PaymentStatsService } from '../../modules/payments/services/payment-stats.service.js';
import { PaymentTransactionBrowser } from '../../modules/payments/services/payment-browser.js';
import { AgencyService } from '../../platform/agencies/agency.service.js';
import { actorOf, roleIs, type StaffSession } from '../admin-actor.js';
import { loadPaymentsYear } from '../dashboards/payments-dashboard.js';
import {
  FILTERABLE,
  paymentTransactionsResource,
  TRANSACTION_KEY,
} from './payment-transactions.resource.js';
import type { AdminRuntime, Resolve } from './resource-context.js';

const NAV_PAYMENTS = { name: 'Payments', icon: 'CreditCard' };
const readers = roleIs('admin', 'operator', 'auditor', 'agency_editor', 'agency_approver');
const reconcilers = roleIs('admin', 'operator', 'auditor');
/** The list's columns; pages are read in time order, so only the time sorts. */
const LISTED = [
  'occurredAt',
  'agencyCode',
  'serviceCode',
  'externalRef',
  'channel',
  'kind',
  'status',
  'amountFils',
];
const UNSORTED = LISTED.filter((p) => p !== 'occurredAt');
/**
 * Payments in the back office: the reported transactions, read-only, agency staff seeing only
 * their agency's; a reconciliation action for national roles; and a statistics page action
 * (JSON) for the dashboard: electronic share by month, top services, channel mix.
 */
export function paymentsResources(resolve: Resolve, runtime: AdminRuntime): ResourceWithOptions[] {
  const agencies = resolve(AgencyService);
  const stats = resolve(PaymentStatsService);
  const reconciliation = resolve(PaymentReconciliationService);

  /** The agency code an agency-bound staff member is limited to; null for national roles. */
  const boundCode = async (admin: CurrentAdmin | undefined): Promise<string | null> => {
    const s = admin as StaffSession | undefined;
    if (!s?.agencyId) return null;
    return (await agencies.getById(s.agencyId)).code;
  };
  const ownAgencyOnly = async (request: ActionRequest, context: ActionContext) => {
    const code = await boundCode(context.currentAdmin);
    if (!code) return request;
    return { ...request, query: { ...(request.query ?? {}), 'filters.agencyCode': code } };
  };

  return [
    {
      resource: paymentTransactionsResource(runtime, resolve(PaymentTransactionBrowser)),
      options: {
        navigation: NAV_PAYMENTS,
        titleProperty: 'externalRef',
        sort: { sortBy: 'occurredAt', direction: 'desc' },
        listProperties: LISTED,
        filterProperties: FILTERABLE,
        properties: {
          [TRANSACTION_KEY]: { isVisible: false },
          channel: { availableValues: PAYMENT_CHANNEL_CODES.map((c) => ({ value: c, label: c })) },
          amountFils: { type: 'string' },
          feeFils: { type: 'string' },
          ...Object.fromEntries(UNSORTED.map((p) => [p, { isSortable: false }])),
        },
        actions: {
          list: { isAccessible: readers, isVisible: readers, before: ownAgencyOnly },
          search: { isAccessible: roleIs('admin', 'operator', 'auditor') },
          show: {
            isAccessible: readers,
            after: async (response: ActionResponse, _req: unknown, context: ActionContext) => {
              const code = await boundCode(context.currentAdmin);
              if (
                code &&
                response.record &&
                (response.record as { params: Record<string, unknown> }).params.agencyCode !== code
              )
                throw new Error('This transaction belongs to another agency');
              return response;
            },
          },
          new: { isAccessible: false },
          edit: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          statistics: {
            actionType: 'resource',
            isAccessible: readers,
            isVisible: false,
            component: false,
            handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
              const actor = actorOf(context.currentAdmin);
              const year = Number((request.query ?? {}).year) || new Date().getUTCFullYear();
              const { months, services, channels } = await loadPaymentsYear(stats, actor, year);
              return {
                year,
                electronicShareByMonth: months.map((m) => ({
                  month: m.period.label,
                  byCount: m.totals.electronicShareByCount,
                  byValue: m.totals.electronicShareByValue,
                })),
                topServices: services.groups
                  .slice(0, 10)
                  .map((g) => ({ service: g.key, netFils: g.netFils, netBhd: g.netBhd })),
                channelMix: channels.groups.map((g) => ({
                  channel: g.key,
                  labelAr: g.labelAr,
                  labelEn: g.labelEn,
                  count: g.count.net,
                  netFils: g.netFils,
                })),
              };
            },
          },
          reconcile: {
            actionType: 'resource',
            isAccessible: reconcilers,
            isVisible: false,
            component: false,
            handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
              const q = request.query ?? {};
              return reconciliation.reconcile(
                actorOf(context.currentAdmin),
                String(q.from ?? ''),
                String(q.to ?? ''),
              );
            },
          },
        },
      },
    },
  ];
}
