import { describe, expect, it } from '@jest/globals';
import { parseDeliveryReceipt } from './delivery-receipt.js';

const TEXT =
  'id:7f3a21 sub:001 dlvrd:001 submit date:2405011230 done date:2405011231 stat:DELIVRD err:000 text:Your code is';

describe('parseDeliveryReceipt', () => {
  it('reads the id, state, error and dates from the receipt text', () => {
    expect(parseDeliveryReceipt('smsc-a', TEXT)).toEqual({
      smscId: 'smsc-a',
      messageId: '7f3a21',
      stat: 'DELIVRD',
      err: '000',
      submitDate: '2405011230',
      doneDate: '2405011231',
      raw: TEXT,
    });
  });

  it('prefers the receipted_message_id and message_state TLVs over the text', () => {
    const sut = parseDeliveryReceipt('smsc-a', TEXT, {
      receiptedMessageId: 'ABC',
      messageState: 5,
    });
    expect(sut).toMatchObject({ messageId: 'ABC', stat: 'UNDELIV' });
  });

  it('works from the TLVs alone', () => {
    expect(
      parseDeliveryReceipt('smsc-b', '', { receiptedMessageId: '42', messageState: 3 }),
    ).toMatchObject({ messageId: '42', stat: 'EXPIRED' });
  });

  it('accepts lower-case keys and states', () => {
    expect(parseDeliveryReceipt('s', 'id:9 stat:rejectd err:0b')).toMatchObject({
      messageId: '9',
      stat: 'REJECTD',
      err: '0b',
    });
  });

  it('gives nothing for a text that is not a receipt', () => {
    expect(parseDeliveryReceipt('s', 'hello there')).toBeUndefined();
    expect(parseDeliveryReceipt('s', 'id:9 stat:WHATEVER')).toBeUndefined();
  });
});
