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
};
