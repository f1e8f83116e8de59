import { defineErrors } from '../../../platform/errors/domain-exception.js';

export const StrategyErrors = defineErrors('strategy', {
  GOAL_NOT_FOUND: [404, 'No such strategic goal'],
  KPI_NOT_FOUND: [404, 'No such KPI'],
  KPI_VALUE_NOT_FOUND: [404, 'No such KPI value'],
  KPI_NOT_ENTERED: [409, 'This KPI is computed from a module; its value cannot be entered by hand'],
  EVIDENCE_REQUIRED: [400, 'An entered KPI value needs an evidence reference'],
  VALUE_ALREADY_APPROVED: [409, 'The KPI value is already approved'],
  FOUR_EYES: [403, 'A KPI value must be approved by someone other than who entered or computed it'],
  INVALID_YEAR: [400, 'The year is not valid'],
  INVALID_VALUE: [400, 'The KPI value is not valid'],
  SOURCE_UNAVAILABLE: [503, 'The module this needs is not available'],
  EXPORT_NOT_FOUND: [404, 'No such export'],
  EXPORT_NOT_READY: [409, 'The export has not finished'],
  EXPORT_FAILED: [409, 'The export failed and was not delivered'],
  EXPORT_INVALID_FILTER: [400, 'The export filter is not valid'],
  PDF_RENDERER_UNAVAILABLE: [503, 'The PDF renderer (headless Chromium) is not available'],
});
