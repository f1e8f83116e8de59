import { defineErrors } from './domain-exception.js';

/** Errors any endpoint can give, independent of a module. */
export const PlatformErrors = defineErrors(
  'platform',
  {
    VALIDATION_FAILED: [400, 'The request has invalid fields'],
    MALFORMED_JSON: [400, 'The request body is not valid JSON'],
    INVALID_PARAMETER: [400, 'A path or query parameter is invalid'],
    UNAUTHENTICATED: [401, 'Authentication is required'],
    INVALID_CREDENTIALS: [401, 'The credentials are not valid'],
    FORBIDDEN: [403, 'You are not allowed to do this'],
    INSUFFICIENT_SCOPE: [403, 'The API client lacks the scope this endpoint needs'],
    OTHER_AGENCY: [403, 'The record belongs to another agency'],
    NOT_FOUND: [404, 'Not found'],
    ROUTE_NOT_FOUND: [404, 'No such endpoint'],
    METHOD_NOT_ALLOWED: [405, 'The method is not allowed here'],
    NOT_ACCEPTABLE: [406, 'No acceptable representation'],
    CONFLICT: [409, 'The request conflicts with the current state'],
    VERSION_CONFLICT: [409, 'The record was changed by someone else; reload it and try again'],
    DUPLICATE: [409, 'A record with the same unique value already exists'],
    IDEMPOTENCY_KEY_REUSED: [409, 'The Idempotency-Key was already used with a different request'],
    PAYLOAD_TOO_LARGE: [413, 'The request body is too large'],
    UNSUPPORTED_MEDIA_TYPE: [415, 'The request body has an unsupported media type'],
    RATE_LIMITED: [429, 'Too many requests'],
    INTERNAL: [500, 'Internal error'],
    UNAVAILABLE: [503, 'A dependency is unavailable'],
  },
  '',
);
