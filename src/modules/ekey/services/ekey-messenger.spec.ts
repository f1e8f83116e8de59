import { describe, expect, it } from '@jest/globals';
import type { Logger } from 'pino';
import { EkeyMessenger, RecordingEkeyTransport } from './ekey-messenger.js';

const silent = { warn: () => undefined, error: () => undefined } as unknown as Logger;
const message = (to: string, body: string) => ({
  channel: 'sms' as const,
  to,
  lang: 'ar' as const,
  body,
  priority: 'otp' as const,
  reference: 'ekey.otp.verify_mobile',
});

describe('EkeyMessenger', () => {
  it('records messages when no notifications module is present', async () => {
    const sut = new EkeyMessenger(silent);
    await expect(sut.send(message('+97336000001', 'code 123456'))).resolves.toEqual({
      id: 'recorded-1',
    });
  });

  it('uses the notifications sender when one is registered', async () => {
    const sent: unknown[] = [];
    class NotificationSender {
      sendDirect(req: unknown) {
        sent.push(req);
        return Promise.resolve({ id: 'n-1' });
      }
    }
    const discovery = {
      getProviders: () => [{ metatype: NotificationSender, instance: new NotificationSender() }],
    };
    const sut = new EkeyMessenger(silent, discovery as never);
    await expect(sut.send(message('+97336000002', 'code 654321'))).resolves.toEqual({ id: 'n-1' });
    expect(sent).toEqual([
      expect.objectContaining({
        channel: 'sms',
        to: '+97336000002',
        priority: 'otp',
        agencyId: null,
      }),
    ]);
  });

  it('keeps a bounded record and finds the last code sent to a number', async () => {
    const sut = new RecordingEkeyTransport(2);
    await sut.deliver(message('+97336000003', 'رمز التحقق: 111111'));
    await sut.deliver(message('+97336000003', 'Your code is 222222.'));
    await sut.deliver(message('+97336000004', 'Your code is 333333.'));
    expect(sut.messages).toHaveLength(2);
    expect(sut.lastCodeTo('+97336000003')).toBe('222222');
    expect(() => sut.lastCodeTo('+97336000009')).toThrow();
  });
});
