import type {
  ActionContext,
  ActionRequest,
  ActionResponse,
  CurrentAdmin,
  ResourceWithOptions,
} from 'adminjs';
import { NotifyJob, JOB_STATUSES } from '../../modules/notify/bulk/entities/notify-job.entity.js';
import { BulkJobService } from '../../modules/notify/bulk/services/bulk-job.service.js';
import {
  CALLBACK_STATUSES,
  DeliveryCallback,
} from '../../modules/notify/entities/delivery-callback.entity.js';
import { StatusCallbackService } from '../../modules/notify/services/status-callback.service.js';
import { roleIs, type StaffSession } from '../admin-actor.js';
import { serviceRecordAction } from '../service-actions.js';
import { onlyFor, readOnly, type Resolve } from './resource-context.js';

const NAV = { name: 'Notifications', icon: 'Send' };
const national = roleIs('admin', 'operator', 'auditor');
const jobReaders = roleIs('admin', 'operator', 'auditor', 'agency_editor', 'agency_approver');
const operators = roleIs('admin', 'operator');
const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

/** Agency staff see their own agency's jobs only; national roles see all. */
const agencyBound = (admin: CurrentAdmin | undefined): string | null => {
  const s = admin as StaffSession | undefined;
  return s && (s.role === 'agency_editor' || s.role === 'agency_approver') ? s.agencyId : null;
};
const ownAgencyOnly = (request: ActionRequest, context: ActionContext): ActionRequest => {
  const agencyId = agencyBound(context.currentAdmin);
  if (!agencyId) return request;
  return { ...request, query: { ...(request.query ?? {}), 'filters.agencyId': agencyId } };
};
const ownRecord = (context: ActionContext): boolean => {
  if (!jobReaders(context)) return false;
  const agencyId = agencyBound(context.currentAdmin);
  return !agencyId || !context.record || context.record.params.agencyId === agencyId;
};

/** The callback body can name the recipient (Notify's `to`): never sent to the browser. */
const withoutPayload = async (response: ActionResponse): Promise<ActionResponse> => {
  const records = [response.record, ...((response.records as ActionResponse['record'][]) ?? [])];
  for (const record of records)
    if (record?.params)
      for (const key of Object.keys(record.params))
        if (key === 'payload' || key.startsWith('payload.')) delete record.params[key];
  return response;
};

/**
 * The e-service side of notifications: bulk jobs with their progress (rows per status,
 * cancel) and delivery-status callbacks (status, attempts, next retry, replay). Writes go
 * through BulkJobService and StatusCallbackService, which audit in their transaction.
 */
export function notifyResources(resolve: Resolve): ResourceWithOptions[] {
  const jobs = resolve(BulkJobService);
  const callbacks = resolve(StatusCallbackService);
  /** Adds `progress` (rows per status) to the records of a list or show answer. */
  const withProgress = async (response: ActionResponse): Promise<ActionResponse> => {
    const records = [
      response.record,
      ...((response.records as ActionResponse['record'][]) ?? []),
    ].filter((r) => r?.params?.id);
    const counts = await jobs.rowCounts(records.map((r) => String(r!.params.id)));
    for (const r of records) {
      const c = counts.get(String(r!.params.id));
      if (c)
        r!.params.progress = Object.entries(c)
          .map(([status, n]) => `${status} ${n}`)
          .join(' · ');
    }
    return response;
  };
  /** Show only: the job's notifications per delivery status (one aggregate in the core). */
  const withDelivery = async (response: ActionResponse): Promise<ActionResponse> => {
    await withProgress(response);
    const record = response.record;
    if (record?.params?.id) {
      const c = await jobs.deliveryCounts(String(record.params.id));
      record.params.delivery =
        Object.entries(c.byStatus)
          .filter(([, n]) => n > 0)
          .map(([status, n]) => `${status} ${n}`)
          .join(' · ') || '—';
    }
    return response;
  };
  return [
    {
      resource: NotifyJob,
      options: {
        navigation: NAV,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: [
          'createdAt',
          'agencyId',
          'channel',
          'status',
          'rowCount',
          'progress',
          'scheduledFor',
        ],
        filterProperties: ['status', 'agencyId', 'channel', 'createdAt', 'scheduledFor'],
        properties: {
          status: { availableValues: options(JOB_STATUSES) },
          progress: {
            type: 'string',
            isVisible: { list: true, show: true, filter: false, edit: false },
          },
          delivery: {
            type: 'string',
            description: 'Notifications of the job per delivery status',
            isVisible: { list: false, show: true, filter: false, edit: false },
          },
        },
        actions: {
          ...readOnly,
          list: {
            isAccessible: jobReaders,
            isVisible: jobReaders,
            before: ownAgencyOnly,
            after: withProgress,
          },
          show: { isAccessible: ownRecord, after: withDelivery },
          search: { isAccessible: jobReaders, before: ownAgencyOnly },
          cancel: {
            actionType: 'record',
            icon: 'XCircle',
            component: false,
            guard: 'Cancel this job? Rows not yet sent will never be sent.',
            isAccessible: operators,
            isVisible: ({ record }) =>
              ['scheduled', 'pending', 'in_progress'].includes(String(record?.params.status)),
            handler: serviceRecordAction(async (actor, id) => {
              const job = await jobs.cancel(actor, id);
              return `Job cancelled: ${job.counts.cancelled} row(s) will not be sent`;
            }),
          },
        },
      },
    },
    {
      resource: DeliveryCallback,
      options: {
        navigation: NAV,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: [
          'createdAt',
          'notificationId',
          'notificationStatus',
          'status',
          'attempts',
          'nextAttemptAt',
          'lastStatusCode',
        ],
        filterProperties: ['status', 'apiClientId', 'notificationId', 'createdAt'],
        properties: {
          payload: { isVisible: false },
          status: { availableValues: options(CALLBACK_STATUSES) },
        },
        actions: {
          ...onlyFor(national),
          ...readOnly,
          list: { isAccessible: national, isVisible: national, after: withoutPayload },
          show: { isAccessible: national, after: withoutPayload },
          search: { isAccessible: national, after: withoutPayload },
          replay: {
            actionType: 'record',
            icon: 'RotateCcw',
            component: false,
            guard: 'Send this callback to the e-service again?',
            isAccessible: operators,
            handler: serviceRecordAction(async (actor, id) => {
              await callbacks.replay(actor, id);
              return 'Callback queued to be sent again';
            }),
            after: withoutPayload,
          },
        },
      },
    },
  ];
}
