import { describe, expect, it } from '@jest/globals';
import { checkTemplate, personalisationErrors } from './template-rules.js';

describe('template rules', () => {
  it('accepts bilingual templates with the same placeholders', () => {
    const sut = checkTemplate(
      'sms',
      { body: 'مرحبا ((name))، موعدك ((date))' },
      { body: 'Hello ((Name)), your appointment is on ((date))' },
    );
    expect(sut).toEqual({ errors: [], placeholders: ['name', 'date'] });
  });

  it('names the placeholder one language lacks', () => {
    const sut = checkTemplate(
      'sms',
      { body: 'مرحبا ((name))' },
      { body: 'Hello ((name)) ((ref))' },
    );
    expect(sut.errors).toEqual([
      expect.objectContaining({ field: 'ar.body', message: expect.stringContaining('((ref))') }),
    ]);
  });

  it('needs a subject on email and refuses one on SMS', () => {
    expect(checkTemplate('email', { body: 'x' }, { subject: 's', body: 'x' }).errors).toEqual([
      expect.objectContaining({ field: 'ar.subject', reason: 'required' }),
    ]);
    expect(checkTemplate('sms', { subject: 's', body: 'x' }, { body: 'x' }).errors).toEqual([
      expect.objectContaining({ field: 'ar.subject', reason: 'unknown' }),
    ]);
  });

  it('names missing and extra personalisation fields', () => {
    expect(
      personalisationErrors({ body: 'Dear ((name)), ref ((ref))' }, { name: 'Ali', colour: 'x' }),
    ).toEqual([
      expect.objectContaining({ field: 'personalisation.ref', reason: 'required' }),
      expect.objectContaining({ field: 'personalisation.colour', reason: 'unknown' }),
    ]);
  });
});
