import { Injectable } from '@nestjs/common';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import {
  NotificationStatsRepository,
  type ChannelSummaryRow,
} from '../repositories/notification-stats.repository.js';

export interface DayRange {
  /** YYYY-MM-DD, inclusive, Bahrain days. */
  from: string;
  to: string;
}

/**
 * Figures for the strategy dashboards: paper letters replaced, and per channel what was
 * accepted, sent, delivered, failed, and SMS parts billed. Counts survive the retention
 * job, which only wipes recipients and content.
 */
@Injectable()
export class NotificationStatsService {
  constructor(private readonly repo: NotificationStatsRepository) {}

  /** Notices sent instead of a paper letter (handed to a provider) in the range. */
  async paperLettersReplaced(range: DayRange): Promise<number> {
    checkRange(range);
    return this.repo.countPaperLettersReplaced(range.from, range.to);
  }

  async paperLettersByAgencyAndMonth(range: DayRange) {
    checkRange(range);
    return this.repo.paperLettersByAgencyAndMonth(range.from, range.to);
  }

  async summary(range: DayRange & { agencyId?: string }): Promise<ChannelSummaryRow[]> {
    checkRange(range);
    return this.repo.summaryByChannel(range.from, range.to, range.agencyId);
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkRange(range: DayRange): void {
  const bad = (['from', 'to'] as const).filter(
    (k) => !DAY.test(range[k] ?? '') || Number.isNaN(Date.parse(`${range[k]}T00:00:00Z`)),
  );
  if (bad.length || range.from > range.to)
    throw new DomainException(
      PlatformErrors.VALIDATION_FAILED,
      'from and to are YYYY-MM-DD days, from ≤ to',
      (bad.length ? bad : ['to']).map((field) => ({
        field,
        message: 'YYYY-MM-DD',
        reason: 'format',
      })),
    );
}
