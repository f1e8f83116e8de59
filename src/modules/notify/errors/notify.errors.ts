import { defineErrors } from '../../../platform/errors/domain-exception.js';

/**
 * Errors of the Notify-compatible API. On `/v2` they are rendered the way GOV.UK Notify
 * clients expect (`{ status_code, errors: [{ error, message }] }`), elsewhere as problem+json.
 */
export const NotifyErrors = defineErrors('notify', {
  AUTH_MISSING: [401, 'Unauthorized: authentication token must be provided'],
  AUTH_INVALID: [403, 'Invalid token: API key not found'],
  AUTH_REVOKED: [403, 'Invalid token: API key revoked'],
  AUTH_SIGNATURE: [403, 'Invalid token: signature, api token is not valid'],
  AUTH_CLOCK: [403, 'Error: Your system clock must be accurate to within 30 seconds'],
  AUTH_SCOPE: [403, 'Invalid token: the service may not send notifications'],
  KEY_NAME_INVALID: [
    400,
    'Key names are 1 to 80 letters, digits, spaces, dots, dashes or underscores',
  ],
  CALLBACK_URL_INVALID: [400, 'The callback URL must be an https URL without credentials'],
  UNSUBSCRIBE_LINK_INVALID: [400, 'The unsubscribe link is not valid'],
  EKEY_ACCOUNT_UNKNOWN: [422, 'No active eKey account with this id'],
  EKEY_NO_VERIFIED_CONTACT: [422, 'The eKey account has no verified contact for this channel'],
  RECIPIENT_OPTED_OUT: [
    422,
    "The recipient opted out of this agency's non-critical notices on this channel",
  ],
  DAILY_LIMIT_EXCEEDED: [429, "Exceeded today's send limit for this channel"],
  TEMPLATE_NOT_FOUND: [400, 'Template not found'],
  TEMPLATE_CHANNEL_MISMATCH: [400, 'The template is for another channel'],
  PERSONALISATION_MISSING: [400, 'Missing personalisation'],
  LETTERS_NOT_SUPPORTED: [400, 'Diwan does not send letters: use email or SMS'],
  IDEMPOTENCY_KEY_REQUIRED: [
    400,
    'An Idempotency-Key header (1 to 200 printable ASCII characters) is required',
  ],
  IDEMPOTENCY_IN_PROGRESS: [409, 'A request with this Idempotency-Key is still being processed'],
});

/** The `error` member Notify uses for each of our codes. */
export const NOTIFY_ERROR_NAMES: Record<string, string> = {
  NOTIFY_AUTH_MISSING: 'AuthError',
  NOTIFY_AUTH_INVALID: 'AuthError',
  NOTIFY_AUTH_REVOKED: 'AuthError',
  NOTIFY_AUTH_SIGNATURE: 'AuthError',
  NOTIFY_AUTH_CLOCK: 'AuthError',
  NOTIFY_AUTH_SCOPE: 'AuthError',
  VALIDATION_FAILED: 'ValidationError',
  MALFORMED_JSON: 'BadRequestError',
  NOT_FOUND: 'NoResultFound',
  RATE_LIMITED: 'RateLimitError',
  NOTIFY_DAILY_LIMIT_EXCEEDED: 'TooManyRequestsError',
  NOTIFY_TEMPLATE_NOT_FOUND: 'BadRequestError',
};
