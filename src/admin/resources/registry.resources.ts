import type {
  ActionContext,
  ActionRequest,
  ActionResponse,
  CurrentAdmin,
  RecordActionResponse,
  ResourceWithOptions,
} from 'adminjs';
import { EDITION_STATUSES } from '../../modules/registry/domain/edition-status.js';
import type { EditionContentDraft } from '../../modules/registry/domain/edition-content.js';
import { SearchSynonym } from '../../modules/registry/entities/search-synonym.entity.js';
import { ServiceEdition } from '../../modules/registry/entities/service-edition.entity.js';
import { ServicePaymentFigures } from '../../modules/registry/entities/service-payment-figures.entity.js';
import type { PublicYearFigures } from '../../modules/registry/entities/service-payment-figures.entity.js';
import { Service } from '../../modules/registry/entities/service.entity.js';
import { RegistryFiguresService } from '../../modules/registry/services/registry-figures.service.js';
import { RegistryWorkflowService } from '../../modules/registry/services/registry-workflow.service.js';
import { actorOf, roleIs, type StaffSession } from '../admin-actor.js';
import { serviceEdit, serviceNew, serviceRecordAction } from '../service-actions.js';
import type { Resolve } from './resource-context.js';

const NAV_REGISTRY = { name: 'Service registry', icon: 'Book' };

const registryStaff = roleIs('admin', 'agency_editor', 'agency_approver', 'auditor');
const editors = roleIs('admin', 'agency_editor');
const approvers = roleIs('admin', 'agency_approver');

/** National roles see every agency; editors and approvers only their own. */
const agencyBound = (admin: CurrentAdmin | undefined): string | null => {
  const s = admin as StaffSession | undefined;
  return s && (s.role === 'agency_editor' || s.role === 'agency_approver') ? s.agencyId : null;
};

/** Forces the list filter to the staff member's agency, whatever the query says. */
const ownAgencyOnly = (request: ActionRequest, context: ActionContext): ActionRequest => {
  const agencyId = agencyBound(context.currentAdmin);
  if (!agencyId) return request;
  return { ...request, query: { ...(request.query ?? {}), 'filters.agencyId': agencyId } };
};

/** A record is visible to national roles, and to agency staff when it is their agency's. */
const ownRecord =
  (check: ReturnType<typeof roleIs>) =>
  (context: ActionContext): boolean => {
    if (!check(context)) return false;
    const agencyId = agencyBound(context.currentAdmin);
    return !agencyId || !context.record || context.record.params.agencyId === agencyId;
  };

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** The edit form sends the content either as JSON text or as AdminJS's unflattened object. */
function contentOf(value: unknown): EditionContentDraft {
  if (typeof value === 'string') return JSON.parse(value) as EditionContentDraft;
  return value ?? {};
}

const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string' && v
      ? v.split(',').map((x) => x.trim())
      : [];

const readOnlyDates = { isVisible: { list: false, edit: false, show: true, filter: true } };

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** A service's yearly payment figures as text for the show page, one line per year. */
export function figuresText(years: PublicYearFigures[]): string {
  if (!years.length) return 'No payments recorded for this service';
  return years
    .map((y) => {
      const channels = y.channels
        .map((c) => `${c.channel}${c.electronic ? '' : ' (desk)'} ${c.count} (${c.grossFils} fils)`)
        .join(', ');
      return `${y.year}: electronic ${percent(y.electronicShare.byCount)} of payments, ${percent(y.electronicShare.byValue)} of value; ${channels}`;
    })
    .join('\n');
}

export function registryResources(resolve: Resolve): ResourceWithOptions[] {
  const workflow = resolve(RegistryWorkflowService);
  const figures = resolve(RegistryFiguresService);
  return [
    {
      resource: Service,
      options: {
        navigation: NAV_REGISTRY,
        titleProperty: 'code',
        sort: { sortBy: 'code', direction: 'asc' },
        listProperties: ['code', 'agencyId', 'popularity', 'firstPublishedAt', 'archivedAt'],
        properties: {
          version: { isVisible: false },
          createdAt: readOnlyDates,
          updatedAt: readOnlyDates,
          firstPublishedAt: readOnlyDates,
          archivedAt: readOnlyDates,
          code: { isVisible: { list: true, edit: false, show: true, filter: true } },
          titleAr: {
            type: 'string',
            isVisible: { list: false, show: false, filter: false, edit: true },
            props: { dir: 'rtl' },
          },
          agencyCode: {
            type: 'string',
            description: 'Admins only: the agency code (NPRA); agency staff create for their own',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          titleEn: {
            type: 'string',
            isVisible: { list: false, show: false, filter: false, edit: true },
          },
          paymentFigures: {
            type: 'textarea',
            description: 'Payments per year by channel and the electronic share (from payments)',
            isVisible: { list: false, show: true, filter: false, edit: false },
          },
        },
        actions: {
          list: { isAccessible: registryStaff, isVisible: registryStaff, before: ownAgencyOnly },
          search: { isAccessible: roleIs('admin', 'auditor') },
          show: {
            isAccessible: ownRecord(registryStaff),
            after: async (response: ActionResponse) => {
              const record = (response as RecordActionResponse).record;
              const id: unknown = record?.params.id;
              if (typeof id === 'string')
                record.params.paymentFigures = figuresText(await figures.figuresOf(id));
              return response;
            },
          },
          new: {
            isAccessible: editors,
            handler: serviceNew(async (actor, p) => {
              const { service, edition } = await workflow.createService(actor, {
                // Agency staff create for their own agency; admins name one.
                agencyCode:
                  actor.type === 'staff' && actor.role === 'admin' ? str(p.agencyCode) : undefined,
                content: { title: { ar: str(p.titleAr) ?? '', en: str(p.titleEn) ?? '' } },
              });
              return {
                id: service.id,
                notice: `${service.code} created; edit its draft edition ${edition.id}`,
              };
            }),
          },
          edit: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          completeness: {
            actionType: 'resource',
            icon: 'CheckSquare',
            component: false,
            isAccessible: registryStaff,
            handler: async (_request, _response, context) => {
              const rows = await workflow.completeness(actorOf(context.currentAdmin));
              const summary = rows
                .map((r) => {
                  const worst = Object.entries(r.lacking)
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 3)
                    .map(([f, n]) => `${f} (${n})`)
                    .join(', ');
                  return `${r.agencyCode}: ${r.complete}/${r.services} complete${worst ? `; lacking ${worst}` : ''}`;
                })
                .join(' · ');
              return {
                completeness: rows,
                notice: { message: summary || 'No services yet', type: 'success' },
              };
            },
          },
        },
      },
    },
    {
      resource: ServiceEdition,
      options: {
        navigation: NAV_REGISTRY,
        titleProperty: 'titleEn',
        sort: { sortBy: 'updatedAt', direction: 'desc' },
        listProperties: [
          'titleAr',
          'titleEn',
          'editionNumber',
          'status',
          'agencyId',
          'authorLabel',
          'updatedAt',
        ],
        filterProperties: ['status', 'agencyId', 'serviceId', 'titleAr', 'titleEn'],
        properties: {
          status: { availableValues: EDITION_STATUSES.map((s) => ({ value: s, label: s })) },
          content: { type: 'mixed' },
          titleAr: { props: { dir: 'rtl' } },
          searchAr: { isVisible: false },
          searchEn: { isVisible: false },
          searchTitle: { isVisible: false },
          searchTitleAr: { isVisible: false },
          searchBodyAr: { isVisible: false },
          searchExtraAr: { isVisible: false },
          searchExtraEn: { isVisible: false },
          createdAt: readOnlyDates,
          updatedAt: { isVisible: { list: true, edit: false, show: true, filter: true } },
        },
        actions: {
          list: { isAccessible: registryStaff, isVisible: registryStaff, before: ownAgencyOnly },
          search: { isAccessible: roleIs('admin', 'auditor') },
          show: { isAccessible: ownRecord(registryStaff) },
          new: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          edit: {
            isAccessible: ownRecord(editors),
            isVisible: ({ record }) =>
              ['draft', 'amends_needed'].includes(String(record?.params.status)),
            handler: serviceEdit((actor, id, p) =>
              workflow.updateDraft(
                actor,
                id,
                { content: contentOf(p.content), changeNote: str(p.changeNote) ?? null },
                p.version === undefined || p.version === null ? undefined : Number(p.version),
              ),
            ),
          },
          submit: {
            actionType: 'record',
            icon: 'Send',
            component: false,
            isAccessible: ownRecord(editors),
            isVisible: ({ record }) => record?.params.status === 'draft',
            handler: serviceRecordAction(async (actor, id) => {
              await workflow.submit(actor, id);
              return 'Submitted for review';
            }),
          },
          requestChanges: {
            actionType: 'record',
            icon: 'RotateCcw',
            component: false,
            guard: 'Send this edition back to its author for changes?',
            isAccessible: ownRecord(approvers),
            isVisible: ({ record }) => record?.params.status === 'in_review',
            handler: serviceRecordAction(async (actor, id) => {
              await workflow.requestChanges(actor, id, 'Changes requested in the back office');
              return 'Sent back for amends';
            }),
          },
          approve: {
            actionType: 'record',
            icon: 'Check',
            component: false,
            guard: 'Approve and publish this edition now?',
            isAccessible: ownRecord(approvers),
            isVisible: ({ record }) =>
              record?.params.status === 'in_review' && !record?.params.scheduledAt,
            handler: serviceRecordAction(async (actor, id) => {
              await workflow.approve(actor, id);
              return 'Approved and published';
            }),
          },
          publish: {
            actionType: 'record',
            icon: 'Globe',
            component: false,
            guard: 'Publish this scheduled edition now?',
            isAccessible: ownRecord(approvers),
            isVisible: ({ record }) =>
              record?.params.status === 'in_review' && Boolean(record?.params.scheduledAt),
            handler: serviceRecordAction(async (actor, id) => {
              await workflow.publish(actor, id);
              return 'Published';
            }),
          },
          archive: {
            actionType: 'record',
            icon: 'Archive',
            component: false,
            guard: 'Withdraw this service from the public catalogue?',
            isAccessible: ownRecord(approvers),
            isVisible: ({ record }) => record?.params.status === 'published',
            handler: serviceRecordAction(async (actor, id) => {
              await workflow.archive(actor, id);
              return 'Archived';
            }),
          },
        },
      },
    },
    {
      // Services that still run on paper and counters: lowest electronic share first.
      resource: ServicePaymentFigures,
      options: {
        navigation: NAV_REGISTRY,
        titleProperty: 'serviceCode',
        sort: { sortBy: 'shareByCount', direction: 'asc' },
        listProperties: [
          'serviceCode',
          'year',
          'paymentsCount',
          'grossFils',
          'shareByCount',
          'shareByValue',
        ],
        filterProperties: ['serviceCode', 'year', 'agencyId', 'shareByCount'],
        properties: {
          id: { isVisible: false },
          serviceId: { isVisible: { list: false, edit: false, show: true, filter: false } },
          refreshedAt: readOnlyDates,
          shareByCount: { description: 'Electronic share of payments (0–1)' },
          shareByValue: { description: 'Electronic share of value (0–1)' },
          figures: { isVisible: { list: false, edit: false, show: true, filter: false } },
        },
        actions: {
          list: { isAccessible: registryStaff, isVisible: registryStaff, before: ownAgencyOnly },
          show: { isAccessible: ownRecord(registryStaff) },
          search: { isAccessible: roleIs('admin', 'auditor') },
          new: { isAccessible: false },
          edit: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
        },
      },
    },
    {
      resource: SearchSynonym,
      options: {
        navigation: NAV_REGISTRY,
        titleProperty: 'term',
        listProperties: ['term', 'alternatives', 'createdAt'],
        properties: {
          alternatives: { isArray: true },
          createdAt: readOnlyDates,
        },
        actions: {
          list: { isAccessible: roleIs('admin'), isVisible: roleIs('admin') },
          show: { isAccessible: roleIs('admin') },
          search: { isAccessible: roleIs('admin') },
          new: {
            isAccessible: roleIs('admin'),
            handler: serviceNew(async (actor, p) => {
              await workflow.setSynonym(actor, str(p.term) ?? '', list(p.alternatives));
              return {
                id: (await workflow.synonymId(str(p.term) ?? ''))!,
                notice: 'Synonym saved',
              };
            }),
          },
          edit: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
        },
      },
    },
  ];
}
