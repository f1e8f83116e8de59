import { defineErrors } from '../../../platform/errors/domain-exception.js';

/** The registry's error codes (docs/errors.md is generated from these). */
export const RegistryErrors = defineErrors('registry', {
  SERVICE_NOT_FOUND: [404, 'No published service with this code'],
  EDITION_NOT_FOUND: [404, 'No such edition'],
  NO_DRAFT: [404, 'The service has no draft'],
  DRAFT_EXISTS: [409, 'The service already has a draft; edit it instead'],
  EDITION_NOT_EDITABLE: [409, 'Only a draft (or an edition sent back for amends) can be edited'],
  EDITION_NOT_DRAFT: [409, 'Only a draft can be submitted for review'],
  EDITION_NOT_IN_REVIEW: [409, 'The edition is not in review'],
  EDITION_NOT_PUBLISHED: [409, 'The edition is not published'],
  INCOMPLETE_EDITION: [422, 'The edition cannot be published: fields are missing or malformed'],
  FOUR_EYES: [403, 'Nobody may approve an edition they wrote'],
  EXPECTED_VERSION_REQUIRED: [428, 'Send the version you edited (If-Match or expectedVersion)'],
  INVALID_CODE: [400, 'Not a service code (AGENCY-NNNN)'],
  INVALID_CURSOR: [400, 'The cursor is not valid'],
  INVALID_SCHEDULE: [400, 'The publication time must be in the future'],
});
