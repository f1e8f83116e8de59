import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Bahrain days [from, to] as a half-open instant range (Asia/Bahrain is UTC+3, no DST), and
 * never a notification made with a Notify test key (simulated, not sent).
 */
const RANGE = `NOT simulated AND accepted_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Bahrain'
  AND accepted_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Bahrain'`;

export interface ChannelSummaryRow {
  channel: string;
  accepted: number;
  sent: number;
  delivered: number;
  failed: number;
  pending: number;
  smsSegments: number;
}

@Injectable()
export class NotificationStatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private q<T>(sql: string, params?: unknown[]): Promise<T> {
    return this.dataSource.query<T>(sql, params);
  }

  async countPaperLettersReplaced(from: string, to: string): Promise<number> {
    const [row] = await this.q<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM notification
       WHERE replaces_paper_letter AND status IN ('sent', 'delivered') AND ${RANGE}`,
      [from, to],
    );
    return Number(row?.n ?? 0);
  }

  async paperLettersByAgencyAndMonth(
    from: string,
    to: string,
  ): Promise<Array<{ agencyId: string | null; month: string; letters: number }>> {
    const rows = await this.q<Array<{ agency_id: string | null; month: string; letters: string }>>(
      `SELECT agency_id, to_char(accepted_at AT TIME ZONE 'Asia/Bahrain', 'YYYY-MM') AS month, count(*) AS letters
       FROM notification
       WHERE replaces_paper_letter AND status IN ('sent', 'delivered') AND ${RANGE}
       GROUP BY 1, 2 ORDER BY 2, 1`,
      [from, to],
    );
    return rows.map((r) => ({ agencyId: r.agency_id, month: r.month, letters: Number(r.letters) }));
  }

  async summaryByChannel(
    from: string,
    to: string,
    agencyId?: string,
  ): Promise<ChannelSummaryRow[]> {
    const rows = await this.q<Array<Record<string, string>>>(
      `SELECT channel, count(*) AS accepted,
         count(*) FILTER (WHERE status IN ('sent', 'delivered')) AS sent,
         count(*) FILTER (WHERE status = 'delivered') AS delivered,
         count(*) FILTER (WHERE status IN ('permanent_failure', 'technical_failure')) AS failed,
         count(*) FILTER (WHERE status IN ('accepted', 'queued', 'sending', 'temporary_failure')) AS pending,
         coalesce(sum(segments) FILTER (WHERE channel = 'sms' AND status IN ('sent', 'delivered')), 0) AS sms_segments
       FROM notification WHERE ${RANGE} AND ($3::uuid IS NULL OR agency_id = $3::uuid)
       GROUP BY channel ORDER BY channel`,
      [from, to, agencyId ?? null],
    );
    return rows.map((r) => ({
      channel: r.channel,
      accepted: Number(r.accepted),
      sent: Number(r.sent),
      delivered: Number(r.delivered),
      failed: Number(r.failed),
      pending: Number(r.pending),
      smsSegments: Number(r.sms_segments),
    }));
  }
}
