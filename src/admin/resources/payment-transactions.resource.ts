import type { BaseRecord, Filter } from 'adminjs';
import { PaymentTransactionRecord } from '../../modules/payments/entities/payment-transaction-record.entity.js';
import { bahrainDay } from '../../modules/payments/domain/periods.js';
import {
  transactionKey,
  type BrowsedTransaction,
  type BrowseQuery,
  type BrowseSelection,
  type PaymentTransactionBrowser,
} from '../../modules/payments/services/payment-browser.js';
import type { AdminRuntime } from './resource-context.js';

/** The record id: agency and reference (a reference alone is unique only within its agency). */
export const TRANSACTION_KEY = 'key';

const EXACT = ['agencyCode', 'serviceCode', 'externalRef', 'channel', 'kind', 'status'] as const;

/** What the list can be filtered by: the exact values, and the time as a range of days. */
export const FILTERABLE = [...EXACT, 'occurredAt'];

/**
 * Reported transactions for AdminJS, read through `PaymentTransactionBrowser` instead of the
 * TypeORM adapter's queries. Those sorted and counted the whole fact table for every page
 * (1.9 s a page at 10 M facts; the table has only a BRIN index), found a record by its
 * reference alone (a full scan, and with two agencies using the same reference, either one),
 * and matched filters with `LIKE '%…%'`, so an agency's staff, limited to their agency code,
 * also saw every agency whose code contains theirs. Here filters are exact, a record is
 * `<agency>:<reference>`, counts come from the rollups and a page reads one month's partition.
 * Sorting is by time only. The adapter's properties (types, labels) are kept.
 */
export function paymentTransactionsResource(
  runtime: AdminRuntime,
  browser: PaymentTransactionBrowser,
): InstanceType<AdminRuntime['TypeormResource']> {
  const key = new runtime.BaseProperty({ path: TRANSACTION_KEY, type: 'string', isId: true });

  class PaymentTransactionsResource extends runtime.TypeormResource {
    private listed?: ReturnType<InstanceType<AdminRuntime['TypeormResource']>['properties']>;

    /** The key first: it is the id; the entity's own primary column (the reference) is not. */
    override properties() {
      this.listed ??= [
        key as never,
        ...super
          .properties()
          .map((p) =>
            p.isId() ? (Object.create(p, { isId: { value: () => false } }) as typeof p) : p,
          ),
      ];
      return this.listed;
    }

    override property(path: string) {
      return this.properties().find((p) => p.path() === path) ?? (null as never);
    }

    /** Per filter: the list action asks for a page and the total of the same `Filter`. */
    private readonly selections = new WeakMap<Filter, Promise<BrowseSelection>>();

    private selection(filter: Filter): Promise<BrowseSelection> {
      let selected = this.selections.get(filter);
      if (!selected) {
        selected = browser.select(toQuery(filter));
        this.selections.set(filter, selected);
      }
      return selected;
    }

    override async count(filter: Filter): Promise<number> {
      return (await this.selection(filter)).total;
    }

    override async find(
      filter: Filter,
      {
        limit = 10,
        offset = 0,
        sort = {},
      }: { limit?: number; offset?: number; sort?: { direction?: string } },
    ): Promise<BaseRecord[]> {
      const rows = await (
        await this.selection(filter)
      ).page({ limit, offset, order: sort.direction === 'asc' ? 'ASC' : 'DESC' });
      return rows.map((r) => this.build(toParams(r)));
    }

    override async findOne(id: string | number): Promise<BaseRecord | null> {
      const row = await browser.get(String(id));
      return row ? this.build(toParams(row)) : null;
    }

    override async findMany(ids: Array<string | number>): Promise<BaseRecord[]> {
      const rows = await Promise.all(ids.map((id) => browser.get(String(id))));
      return rows.flatMap((r) => (r ? [this.build(toParams(r))] : []));
    }

    override create(): Promise<never> {
      return Promise.reject(new Error('Reported transactions are read-only'));
    }

    override update(): Promise<never> {
      return this.create();
    }

    override delete(): Promise<never> {
      return this.create();
    }
  }
  return new PaymentTransactionsResource(PaymentTransactionRecord);
}

/** AdminJS filters → the browser's query: exact values, and the days of the time range. */
export function toQuery(filter: Filter): BrowseQuery {
  const query: BrowseQuery = {};
  for (const name of EXACT) {
    const value = filter.filters[name]?.value;
    if (typeof value === 'string' && value.trim() !== '') query[name] = value.trim();
  }
  const range = filter.filters.occurredAt?.value;
  if (range && typeof range === 'object') {
    const day = (text: string | undefined) => {
      const at = text ? new Date(text) : undefined;
      return at && !Number.isNaN(at.getTime()) ? bahrainDay(at) : undefined;
    };
    query.fromDay = day(range.from);
    query.toDay = day(range.to);
    if (query.fromDay === undefined) delete query.fromDay;
    if (query.toDay === undefined) delete query.toDay;
  }
  return query;
}

function toParams(t: BrowsedTransaction): Record<string, unknown> {
  return { [TRANSACTION_KEY]: transactionKey(t), ...t };
}
