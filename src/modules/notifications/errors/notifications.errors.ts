import { DomainException, defineErrors } from '../../../platform/errors/domain-exception.js';

/** Codes of the notifications module (CONVENTIONS.md §8). */
export const NotificationsErrors = defineErrors('notifications', {
  SMS_TOO_LONG: [422, 'The SMS needs more parts than allowed'],
  SMS_TEMPORARY_FAILURE: [503, 'The SMS could not be handed to an SMSC for now'],
  SMS_PERMANENT_FAILURE: [422, 'The SMSC refused the SMS'],
  EMAIL_TEMPORARY_FAILURE: [503, 'The email could not be handed to the mail server for now'],
  EMAIL_PERMANENT_FAILURE: [422, 'The mail server refused the email'],
  PERSONALISATION_MISSING: [400, 'The template needs values that were not given'],
  PERSONALISATION_INVALID: [400, 'The personalisation does not match the template'],
  TEMPLATE_NOT_FOUND: [404, 'No such notification template'],
  TEMPLATE_INVALID: [400, 'The template is incomplete or malformed'],
  TEMPLATE_CODE_TAKEN: [409, 'The agency already has a template with this code'],
  TEMPLATE_CHANNEL_MISMATCH: [400, 'The template is for another channel'],
  RECIPIENT_INVALID: [400, 'The recipient is not a valid mobile number or email address'],
  NOTIFICATION_NOT_FOUND: [404, 'No such notification'],
  NOTIFICATION_ID_TAKEN: [409, 'A notification with this id already exists'],
  NOT_CANCELLABLE: [409, 'The notification has already been handed to a provider'],
});

/**
 * A delivery failure the caller must sort into "retry later" or "give up": queues retry
 * `temporary` failures with backoff and mark permanent ones as failed at once.
 */
export abstract class DeliveryFailure extends DomainException {
  abstract readonly temporary: boolean;
}

/** Too long is final: the same text will not get shorter on a retry. */
export class SmsTooLongError extends DeliveryFailure {
  readonly temporary = false;
  constructor(
    readonly segments: number,
    readonly maxParts: number,
  ) {
    super(
      NotificationsErrors.SMS_TOO_LONG,
      `The SMS needs ${segments} parts; at most ${maxParts} are allowed`,
      [],
      { segments, maxParts },
    );
    this.name = 'SmsTooLongError';
  }
}

/** SMPP detail of an SMS failure: which SMSC said what (`commandStatus` is the SMPP status). */
export interface SmsFailureDetail {
  smscId?: string;
  commandStatus?: number;
}

export class SmsTemporaryError extends DeliveryFailure {
  readonly temporary = true;
  constructor(
    detail: string,
    readonly smpp: SmsFailureDetail = {},
  ) {
    super(NotificationsErrors.SMS_TEMPORARY_FAILURE, detail, [], { ...smpp });
    this.name = 'SmsTemporaryError';
  }
}

export class SmsPermanentError extends DeliveryFailure {
  readonly temporary = false;
  constructor(
    detail: string,
    readonly smpp: SmsFailureDetail = {},
  ) {
    super(NotificationsErrors.SMS_PERMANENT_FAILURE, detail, [], { ...smpp });
    this.name = 'SmsPermanentError';
  }
}

/** SMTP detail of an email failure: the reply code and the nodemailer error code, when known. */
export interface EmailFailureDetail {
  responseCode?: number;
  errorCode?: string;
}

export class EmailTemporaryError extends DeliveryFailure {
  readonly temporary = true;
  constructor(
    detail: string,
    readonly smtp: EmailFailureDetail = {},
  ) {
    super(NotificationsErrors.EMAIL_TEMPORARY_FAILURE, detail, [], { ...smtp });
    this.name = 'EmailTemporaryError';
  }
}

export class EmailPermanentError extends DeliveryFailure {
  readonly temporary = false;
  constructor(
    detail: string,
    readonly smtp: EmailFailureDetail = {},
  ) {
    super(NotificationsErrors.EMAIL_PERMANENT_FAILURE, detail, [], { ...smtp });
    this.name = 'EmailPermanentError';
  }
}

export class PersonalisationMissingError extends DomainException {
  constructor(readonly missing: string[]) {
    super(
      NotificationsErrors.PERSONALISATION_MISSING,
      `Missing personalisation: ${missing.join(', ')}`,
      [],
      { missing },
    );
    this.name = 'PersonalisationMissingError';
  }
}
