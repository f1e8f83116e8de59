import { defineErrors } from '../../../platform/errors/domain-exception.js';

/** Codes of the payments statistics module (CONVENTIONS.md §8). Field details go in `errors`. */
export const PaymentsErrors = defineErrors('payments', {
  INVALID_BATCH: [400, 'The batch of transactions has invalid items'],
  INVALID_PERIOD: [400, 'The reporting period is not valid'],
  CSV_MALFORMED: [400, 'The CSV file cannot be read'],
  CSV_INVALID_ROWS: [422, 'Some CSV rows are not valid transactions'],
  DUPLICATE_EXTERNAL_REF: [
    409,
    'A transaction with this reference was already reported with different values',
  ],
  TRANSACTION_NOT_FOUND: [404, 'No transaction with this reference'],
  STATUS_TRANSITION_NOT_ALLOWED: [409, 'Only a pending transaction can change status'],
  ORIGINAL_NOT_FOUND: [422, 'The refunded or reversed payment was not reported'],
  UNKNOWN_SERVICE: [422, 'The service code is not in the registry'],
  SERVICE_OF_OTHER_AGENCY: [422, 'The service belongs to another agency'],
  IDEMPOTENCY_KEY_REQUIRED: [
    400,
    'An Idempotency-Key header (1 to 200 printable characters) is required',
  ],
  CSV_EMPTY: [400, 'The CSV file has no transactions'],
  CSV_UNSUPPORTED_MEDIA_TYPE: [415, 'Send the CSV file as text/csv'],
  INVALID_STATS_QUERY: [400, 'The statistics query is not valid'],
});
