import { Injectable } from '@nestjs/common';
import { bahrainDayStart, nextDay, nextMonthStart } from '../domain/periods.js';
import {
  PaymentBrowseRepository,
  type BrowsedTransaction,
  type DimensionFilter,
} from '../repositories/payment-browse.repository.js';

export type { BrowsedTransaction } from '../repositories/payment-browse.repository.js';

/** What the back office may ask for: exact values, and a range of Bahrain days. */
export interface BrowseQuery extends DimensionFilter {
  externalRef?: string;
  /** First Bahrain day (`YYYY-MM-DD`), inclusive. */
  fromDay?: string;
  /** Last Bahrain day, inclusive. */
  toDay?: string;
}

/** The transactions a query selects: how many, and a page of them. */
export interface BrowseSelection {
  readonly total: number;
  page(page: BrowsePage): Promise<BrowsedTransaction[]>;
}

export interface BrowsePage {
  limit: number;
  offset: number;
  /** By time of the transaction (then agency and reference). */
  order: 'ASC' | 'DESC';
}

/**
 * A reference is unique per agency, not across agencies, so a transaction is named by both:
 * `<agency code>:<reference>` (agency codes have no colon; references may).
 */
export const transactionKey = (t: { agencyCode: string; externalRef: string }): string =>
  `${t.agencyCode}:${t.externalRef}`;

export function parseTransactionKey(
  key: string,
): { agencyCode: string; externalRef: string } | null {
  const at = key.indexOf(':');
  if (at <= 0 || at === key.length - 1) return null;
  return { agencyCode: key.slice(0, at), externalRef: key.slice(at + 1) };
}

/**
 * Pages through millions of reported transactions for the back office at the cost of one
 * month's partition per page: the rollups say how many facts each month holds for the
 * filter (exactly: they are kept in the facts' transactions and reconciled), so a page's
 * offset is found month by month without counting or sorting the facts themselves.
 */
@Injectable()
export class PaymentTransactionBrowser {
  constructor(private readonly repo: PaymentBrowseRepository) {}

  /**
   * What the query selects, read once (AdminJS asks for a page and then for the total of the
   * same filter): by reference, the rows themselves; otherwise each month's count from the
   * rollups, from which the total and any page's months follow.
   */
  async select(query: BrowseQuery): Promise<BrowseSelection> {
    if (query.externalRef !== undefined) {
      const rows = await this.byReference(query);
      return {
        total: rows.length,
        page: async ({ limit, offset, order }) => {
          const sign = order === 'ASC' ? 1 : -1;
          const sorted = [...rows].sort(
            (a, b) => sign * (a.occurredAt.getTime() - b.occurredAt.getTime()),
          );
          return sorted.slice(offset, offset + limit);
        },
      };
    }
    const months = await this.repo.monthCounts(query, days(query));
    return {
      total: months.reduce((n, m) => n + m.count, 0),
      page: (page) => this.monthPage(query, months, page),
    };
  }

  private async monthPage(
    query: BrowseQuery,
    months: ReadonlyArray<{ month: string; count: number }>,
    page: BrowsePage,
  ): Promise<BrowsedTransaction[]> {
    const out: BrowsedTransaction[] = [];
    let skip = page.offset;
    for (const { month, count } of page.order === 'DESC' ? [...months].reverse() : months) {
      if (out.length >= page.limit) break;
      if (skip >= count) {
        skip -= count;
        continue;
      }
      const { from, to } = monthBounds(month, query);
      out.push(
        ...(await this.repo.slice(query, from, to, page.order, page.limit - out.length, skip)),
      );
      skip = 0;
    }
    return out;
  }

  /** One transaction by its key (`transactionKey`), or null. */
  async get(key: string): Promise<BrowsedTransaction | null> {
    const parsed = parseTransactionKey(key);
    if (!parsed) return null;
    const [row] = await this.repo.byReference(parsed.externalRef, {
      agencyCode: parsed.agencyCode,
    });
    return row ?? null;
  }

  private byReference(query: BrowseQuery): Promise<BrowsedTransaction[]> {
    return this.repo.byReference(query.externalRef!, query, {
      from: query.fromDay === undefined ? undefined : bahrainDayStart(query.fromDay),
      to: query.toDay === undefined ? undefined : bahrainDayStart(nextDay(query.toDay)),
    });
  }
}

function days(query: BrowseQuery): { from: string; to: string } | undefined {
  if (query.fromDay === undefined && query.toDay === undefined) return undefined;
  return { from: query.fromDay ?? '0001-01-01', to: query.toDay ?? '9999-12-31' };
}

/** A Bahrain month's instants, narrowed to the query's days. */
function monthBounds(month: string, query: BrowseQuery): { from: Date; to: Date } {
  const first = query.fromDay !== undefined && query.fromDay > month ? query.fromDay : month;
  const end = nextMonthStart(month);
  const after =
    query.toDay !== undefined && nextDay(query.toDay) < end ? nextDay(query.toDay) : end;
  return { from: bahrainDayStart(first), to: bahrainDayStart(after) };
}
