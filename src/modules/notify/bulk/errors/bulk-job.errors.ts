import { defineErrors } from '../../../../platform/errors/domain-exception.js';

/** Errors of bulk jobs (`/v1/notifications/jobs`). */
export const BulkJobErrors = defineErrors(
  'notify',
  {
    ROWS_INVALID: [400, 'Rows of the job are invalid; nothing was created'],
    TOO_MANY_ROWS: [413, 'A job has at most the configured number of rows'],
    NO_ROWS: [400, 'A job needs at least one row'],
    CSV_INVALID: [400, 'The CSV file cannot be read'],
    SCHEDULE_INVALID: [400, 'scheduledFor must be a future minute within the scheduling horizon'],
    JOB_NOT_FOUND: [404, 'No such job'],
    JOB_NOT_CANCELLABLE: [409, 'The job has already finished or been cancelled'],
  },
  'NOTIFY_BULK',
);
