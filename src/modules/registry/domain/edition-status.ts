/** The life of an edition: draft → in_review → published → superseded, with detours. */
export const EDITION_STATUSES = [
  'draft',
  'in_review',
  'amends_needed',
  'published',
  'superseded',
  'archived',
] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

/** The working copy of a service: at most one edition in these states per service. */
export const WORKING_STATUSES: readonly EditionStatus[] = ['draft', 'in_review', 'amends_needed'];

/** Which statuses a draft's content may still be written in (editing sends amends back to draft). */
export const EDITABLE_STATUSES: readonly EditionStatus[] = ['draft', 'amends_needed'];

export function isEditionStatus(value: string): value is EditionStatus {
  return (EDITION_STATUSES as readonly string[]).includes(value);
}
