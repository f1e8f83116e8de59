import { describe, expect, it } from '@jest/globals';
import { EmailPermanentError, EmailTemporaryError } from '../errors/notifications.errors.js';
import { classifySmtpError } from './smtp-mailer.js';

type ErrorFields = { responseCode?: number; code?: string };
const smtpError = (fields: ErrorFields) => Object.assign(new Error('refused'), fields);

describe('classifySmtpError', () => {
  it.each<[string, ErrorFields, typeof EmailTemporaryError | typeof EmailPermanentError]>([
    ['a 451 greylisting reply', { responseCode: 451, code: 'EMESSAGE' }, EmailTemporaryError],
    ['a 421 service closing reply', { responseCode: 421, code: 'EENVELOPE' }, EmailTemporaryError],
    [
      'a 550 mailbox unavailable reply',
      { responseCode: 550, code: 'EENVELOPE' },
      EmailPermanentError,
    ],
    ['a 552 message too big reply', { responseCode: 552, code: 'EMESSAGE' }, EmailPermanentError],
    ['a 503 bad sequence reply', { responseCode: 503, code: 'EPROTOCOL' }, EmailTemporaryError],
    ['a refused login (535)', { responseCode: 535, code: 'EAUTH' }, EmailTemporaryError],
    ['a refused connection', { code: 'ECONNECTION' }, EmailTemporaryError],
    ['a timeout', { code: 'ETIMEDOUT' }, EmailTemporaryError],
    ['an envelope nodemailer refuses itself', { code: 'EENVELOPE' }, EmailPermanentError],
    ['an unknown error', {}, EmailTemporaryError],
  ])('classifies %s', (_name, fields, expected) => {
    const sut = classifySmtpError(smtpError(fields));
    expect(sut).toBeInstanceOf(expected);
    expect(sut.smtp).toEqual({ responseCode: fields.responseCode, errorCode: fields.code });
  });
});
