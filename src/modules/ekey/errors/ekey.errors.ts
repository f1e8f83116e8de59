import { defineErrors } from '../../../platform/errors/domain-exception.js';

/**
 * eKey error codes. Sign-in failures stay deliberately vague (INVALID_CREDENTIALS,
 * CODE_INVALID) so a response never tells whether a CPR is registered or which factor
 * was wrong.
 */
export const EkeyErrors = defineErrors('ekey', {
  INVALID_CPR: [400, 'The CPR number must have 9 digits'],
  INVALID_MOBILE: [400, 'The mobile number is not valid'],
  INVALID_EMAIL: [400, 'The e-mail address is not valid'],
  NO_EMAIL: [409, 'No e-mail address is registered for this eKey'],
  PASSWORD_TOO_SHORT: [400, 'The password is too short'],
  PASSWORD_TOO_LONG: [400, 'The password is too long'],
  PASSWORD_COMMON: [400, 'The password is too common'],
  PASSWORD_CONTAINS_CONTEXT: [400, 'The password contains your CPR, your name or the service name'],
  INVALID_CREDENTIALS: [401, 'The CPR number or the password is not correct'],
  CODE_INVALID: [401, 'The code is not correct'],
  CODE_EXPIRED: [401, 'The code has expired; ask for a new one'],
  CODE_ATTEMPTS_EXHAUSTED: [401, 'Too many wrong codes; ask for a new one'],
  THROTTLED: [429, 'Too many failed attempts; wait before trying again'],
  ALREADY_REGISTERED: [409, 'An active eKey already exists for this CPR number'],
  NOT_PENDING: [409, 'The registration is not waiting for mobile verification'],
  REGISTRATION_NOT_FOUND: [404, 'No such registration'],
  INVALID_EVIDENCE: [400, 'An evidence reference of the in-person identity check is required'],
  ACCOUNT_NOT_FOUND: [404, 'No such eKey account'],
  SESSION_REQUIRED: [401, 'Sign in with your eKey first'],
  SECOND_FACTOR_UNAVAILABLE: [400, 'This second factor is not set up for the account'],
  TOTP_ALREADY_ENABLED: [409, 'An authenticator app is already set up'],
  TOTP_NOT_STARTED: [409, 'Start the authenticator set-up first'],
  PASSKEY_INVALID: [400, 'The passkey could not be verified; try again'],
  PASSKEY_EXISTS: [409, 'This passkey is already registered'],
  PASSKEY_NOT_FOUND: [404, 'No such passkey of yours'],
  INVALID_CLIENT_METADATA: [400, 'The relying party registration is not valid'],
  CLIENT_EXISTS: [409, 'A relying party with this client id already exists'],
  API_CLIENT_LINK_INVALID: [
    400,
    'A relying party may act as an API client only with the client-credentials grant and a live API client',
  ],
  LOCKED: [
    423,
    'The eKey account is locked after too many failed attempts; contact the eKey service desk',
  ],
});
