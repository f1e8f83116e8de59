import { defineErrors } from '../errors/domain-exception.js';

export const AuthErrors = defineErrors('auth', {
  STAFF_EMAIL_TAKEN: [409, 'A staff account with this email already exists'],
  STAFF_AGENCY_REQUIRED: [400, 'Editors and approvers must belong to an agency'],
  STAFF_LOCKED: [423, 'The account is temporarily locked after repeated failed sign-ins'],
  STAFF_PASSWORD_TOO_SHORT: [400, 'Staff passwords must have at least 12 characters'],
  STAFF_LAST_ADMIN: [409, 'The last active admin cannot be removed or demoted'],
  API_CLIENT_REVOKED: [401, 'The API key was revoked or has expired'],
  API_CLIENT_SCOPE_UNKNOWN: [400, 'Unknown API scope'],
  AGENCY_NOT_FOUND: [404, 'No such agency'],
  AGENCY_CODE_TAKEN: [409, 'An agency with this code already exists'],
  AGENCY_CYCLE: [400, 'An agency cannot be its own parent or ancestor'],
});
