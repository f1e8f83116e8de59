import { describe, expect, it } from '@jest/globals';
import smpp from 'smpp';
import { SubmitSm, type SubmitSmParameters } from './smpp-submit.js';

const base: SubmitSmParameters = {
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'eGov',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '97333123456',
  esm_class: 0,
  registered_delivery: 1,
  data_coding: 0,
  short_message: Buffer.from('Your permit is ready'),
};

describe('SubmitSm', () => {
  it.each([
    ['a GSM-7 single part from an alphanumeric sender', base],
    [
      'a UCS-2 part with a concatenation header from a number',
      {
        ...base,
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '97317000000',
        esm_class: 0x40,
        data_coding: 8,
        short_message: Buffer.concat([
          Buffer.from([5, 0, 3, 0xa7, 2, 1]),
          Buffer.from('تم استلام طلبكم', 'utf16le').swap16(),
        ]),
      },
    ],
    [
      'a full 160-septet part from a short code',
      { ...base, source_addr_ton: 3, source_addr: '80008', short_message: Buffer.alloc(160, 0x41) },
    ],
    ['an empty message', { ...base, short_message: Buffer.alloc(0) }],
  ])('encodes %s exactly as the smpp package does', (_name, parameters) => {
    const sut = new SubmitSm(parameters);
    sut.sequence_number = 0x01020304;
    const reference = new smpp.PDU('submit_sm', { ...parameters, sequence_number: 0x01020304 });
    expect(sut.toBuffer().equals((reference as unknown as { toBuffer(): Buffer }).toBuffer())).toBe(
      true,
    );
  });

  it('decodes back to its parameters with the smpp package', () => {
    const sut = new SubmitSm({
      ...base,
      esm_class: 0x40,
      short_message: Buffer.from([5, 0, 3, 1, 2, 2, 0x41]),
    });
    sut.sequence_number = 7;
    const decoded = (smpp.PDU as unknown as { fromBuffer(b: Buffer): smpp.PDU }).fromBuffer(
      sut.toBuffer(),
    );
    expect(decoded).toMatchObject({
      command: 'submit_sm',
      sequence_number: 7,
      source_addr: 'eGov',
      destination_addr: '97333123456',
      esm_class: 0x40,
      registered_delivery: 1,
    });
  });

  it('is a request, numbered by the session that sends it', () => {
    const sut = new SubmitSm(base);
    expect(sut.isResponse()).toBe(false);
    expect(sut.toBuffer().readUInt32BE(12)).toBe(0);
  });

  it('refuses a payload longer than one short_message', () => {
    expect(() => new SubmitSm({ ...base, short_message: Buffer.alloc(255) })).toThrow(RangeError);
  });
});
