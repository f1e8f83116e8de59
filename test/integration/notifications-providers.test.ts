import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import smpp from 'smpp';
import {
  EmailPermanentError,
  EmailTemporaryError,
  SmsPermanentError,
  SmsTemporaryError,
} from '../../src/modules/notifications/errors/notifications.errors.js';
import type { DeliveryReceipt } from '../../src/modules/notifications/providers/delivery-receipt.js';
import {
  SmppGateway,
  SmppStatus,
  type OutgoingSms,
  type SmppGatewayOptions,
} from '../../src/modules/notifications/providers/smpp-gateway.js';
import {
  SmtpMailer,
  type OutgoingEmail,
} from '../../src/modules/notifications/providers/smtp-mailer.js';
import { renderEmail } from '../../src/modules/notifications/templates/template-renderer.js';
import { startTestSmsc, type TestSmsc } from '../support/smsc.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ARABIC_NOTICE =
  'عزيزي المواطن، تمت الموافقة على طلب تجديد بطاقة الهوية رقم 2025-004812. ' +
  'يرجى مراجعة مركز الخدمة في المحرق خلال أسبوعين مع إحضار البطاقة القديمة وصورة شخصية حديثة. ' +
  'للاستفسار اتصلوا على 80008001.';

const sms = (overrides: Partial<OutgoingSms> = {}): OutgoingSms => ({
  reference: 'ntf-1',
  to: '+97333123456',
  from: 'Diwan',
  text: 'Your appointment is confirmed.',
  maxParts: 4,
  ...overrides,
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SmppGateway against an SMSC on the wire', () => {
  let smscA: TestSmsc;
  let smscB: TestSmsc;
  let sut: SmppGateway;

  const gateway = (overrides: Partial<SmppGatewayOptions> = {}) =>
    new SmppGateway({
      connections: [
        { id: 'a', url: smscA.url, systemId: 'diwan', password: 'secret', weight: 1 },
        { id: 'b', url: smscB.url, systemId: 'diwan', password: 'secret', weight: 1 },
      ],
      random: () => 0, // always the first healthy SMSC, so each test knows where traffic goes
      reconnectDelayMs: { initial: 50, max: 200 },
      responseTimeoutMs: 2_000,
      ...overrides,
    });

  beforeEach(async () => {
    smscA = await startTestSmsc({ messageIdPrefix: 'A' });
    smscB = await startTestSmsc({ messageIdPrefix: 'B' });
    sut = gateway();
    await sut.start();
  });

  afterEach(async () => {
    await sut.close();
    await Promise.all([smscA.close(), smscB.close()]);
  });

  it('binds every SMSC as transceiver and reports them healthy', () => {
    expect(sut.status()).toEqual([
      { id: 'a', state: 'bound', throttledUntil: undefined, lastError: undefined },
      { id: 'b', state: 'bound', throttledUntil: undefined, lastError: undefined },
    ]);
    expect(smscA.received.map((pdu) => pdu.command)).toContain('bind_transceiver');
  });

  it('sends a 3-part Arabic SMS as UCS-2 with concatenation headers that reassembles byte-exact', async () => {
    const result = await sut.send(sms({ text: ARABIC_NOTICE }));

    expect(result).toMatchObject({ smscId: 'a', segments: 3 });
    const parts = smscA.submitted();
    expect(parts).toHaveLength(3);
    expect(result.messageIds).toEqual(parts.map((part) => part.messageId));
    for (const [i, part] of parts.entries()) {
      expect(part).toMatchObject({
        dataCoding: 8,
        destination: '97333123456',
        source: 'Diwan',
        registeredDelivery: 1,
      });
      expect(part.esmClass & 0x40).toBe(0x40);
      expect(part.concatenation).toEqual({
        reference: parts[0].concatenation!.reference,
        total: 3,
        sequence: i + 1,
      });
    }
    const reassembled = Buffer.concat(parts.map((part) => part.payload));
    expect(reassembled.equals(Buffer.from(ARABIC_NOTICE, 'utf16le').swap16())).toBe(true);
    expect(Buffer.from(reassembled).swap16().toString('utf16le')).toBe(ARABIC_NOTICE);
  });

  it('sends a short Latin SMS as one GSM-7 part without header', async () => {
    await sut.send(sms({ text: 'Fee paid: 5 BHD €' }));
    expect(smscA.submitted()).toEqual([
      expect.objectContaining({
        dataCoding: 0,
        esmClass: 0,
        concatenation: undefined,
        text: 'Fee paid: 5 BHD €',
      }),
    ]);
  });

  it('hands a delivery receipt to onReceipt and acknowledges it', async () => {
    const receipts: DeliveryReceipt[] = [];
    sut.onReceipt((receipt) => void receipts.push(receipt));
    const { messageIds } = await sut.send(sms());

    const status = await smscA.sendReceipt(messageIds[0], 'DELIVRD');

    expect(status).toBe(0);
    expect(receipts).toEqual([
      expect.objectContaining({ smscId: 'a', messageId: messageIds[0], stat: 'DELIVRD' }),
    ]);
  });

  it('reads the receipt TLVs when the SMSC sends them', async () => {
    const receipts: DeliveryReceipt[] = [];
    sut.onReceipt((receipt) => void receipts.push(receipt));
    const { messageIds } = await sut.send(sms());
    await smscA.sendReceipt(messageIds[0], 'UNDELIV', { withTlvs: true });
    expect(receipts).toEqual([
      expect.objectContaining({ messageId: messageIds[0], stat: 'UNDELIV' }),
    ]);
  });

  it('asks the SMSC to resend a receipt the handler could not store', async () => {
    sut.onReceipt(() => Promise.reject(new Error('database down')));
    const { messageIds } = await sut.send(sms());
    expect(await smscA.sendReceipt(messageIds[0], 'DELIVRD')).toBe(SmppStatus.TEMPORARY_APP_ERROR);
  });

  it('moves traffic to SMSC B while SMSC A throttles, and backs A off', async () => {
    smscA.throttleNext(1);

    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(await sut.send(sms({ reference: `ntf-${i}`, text: `Notice ${i}` })));

    expect(results.map((result) => result.smscId)).toEqual(['b', 'b', 'b', 'b', 'b']);
    expect(smscA.submitted()).toHaveLength(0);
    expect(smscB.submitted().map((part) => part.text)).toEqual([
      'Notice 0',
      'Notice 1',
      'Notice 2',
      'Notice 3',
      'Notice 4',
    ]);
    expect(sut.status()[0].throttledUntil).toBeInstanceOf(Date);
  });

  it('loses no message and sends none twice when SMSC A drops its connections mid-run', async () => {
    const retried: string[] = [];
    await sut.close();
    sut = gateway({
      logger: {
        info: () => undefined,
        warn: (fields) => void retried.push((fields as { reference?: string }).reference ?? ''),
      },
    });
    await sut.start();
    const references = Array.from({ length: 40 }, (_, i) => `ntf-${i}`);
    const sending = references.map(async (reference, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 2));
      return sut.send(sms({ reference, text: `Notice ${reference}` }));
    });
    await until(() => smscA.submitted().length >= 10);
    await smscA.dropConnections();

    const results = await Promise.all(sending);

    expect(results).toHaveLength(40);
    const texts = [...smscA.submitted(), ...smscB.submitted()].map((part) => part.text);
    const counts = new Map<string, number>();
    for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
    expect(references.map((reference) => counts.get(`Notice ${reference}`))).toEqual(
      references.map(() => 1),
    );
    expect(retried.filter(Boolean).length).toBeGreaterThan(0); // some were in flight when A went down
    expect(results.filter((result) => result.smscId === 'b').length).toBeGreaterThan(0);
    await until(() => sut.status()[0].state === 'bound');
  });

  it('rejects a refused destination as permanent without trying the other SMSC', async () => {
    smscA.rejectNext(SmppStatus.INVALID_DESTINATION_ADDRESS);

    const error = await sut.send(sms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmsPermanentError);
    expect(error).toMatchObject({ temporary: false, smpp: { smscId: 'a', commandStatus: 0x0b } });
    expect(smscB.submitted()).toHaveLength(0);
  });

  it('retries a temporary SMSC error on the other SMSC', async () => {
    smscA.rejectNext(SmppStatus.MESSAGE_QUEUE_FULL);
    await expect(sut.send(sms())).resolves.toMatchObject({ smscId: 'b' });
  });

  it('fails temporarily when every SMSC refuses temporarily', async () => {
    smscA.rejectNext(SmppStatus.SYSTEM_ERROR);
    smscB.rejectNext(SmppStatus.SYSTEM_ERROR);
    await expect(sut.send(sms())).rejects.toBeInstanceOf(SmsTemporaryError);
  });

  it('refuses a destination that is not E.164 before sending', async () => {
    await expect(sut.send(sms({ to: '0097333123456' }))).rejects.toBeInstanceOf(SmsPermanentError);
    expect(smscA.submitted()).toHaveLength(0);
  });

  it('unbinds cleanly on close', async () => {
    await sut.close();
    expect(smscA.received.map((pdu) => pdu.command)).toContain('unbind');
    expect(sut.status().map((s) => s.state)).toEqual(['closed', 'closed']);
  });
});

describe('SmppGateway bind failures', () => {
  let smsc: TestSmsc;
  beforeAll(async () => {
    smsc = await startTestSmsc({ password: 'right' });
  });
  afterAll(() => smsc.close());

  it('keeps retrying a refused bind and sends nothing meanwhile', async () => {
    const sut = new SmppGateway({
      connections: [{ id: 'a', url: smsc.url, systemId: 'diwan', password: 'wrong', weight: 1 }],
      reconnectDelayMs: { initial: 20, max: 50 },
    });
    await sut.start();
    expect(sut.status()[0]).toMatchObject({
      state: expect.stringMatching(/disconnected|connecting/),
      lastError: expect.stringContaining('bind failed'),
    });
    await expect(sut.send(sms())).rejects.toBeInstanceOf(SmsTemporaryError);
    await sut.close();
  });
});

describe('SmppGateway window', () => {
  it('keeps at most the window of submits unanswered on a bind, and sends every message once', async () => {
    // An SMSC that answers each submit 5 ms late and notes how many it holds at once.
    let outstanding = 0;
    let most = 0;
    const texts: string[] = [];
    let id = 0;
    const server = smpp.createServer((session) => {
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => session.send(pdu.response(), () => session.close()));
      session.on('submit_sm', (pdu) => {
        most = Math.max(most, ++outstanding);
        texts.push(String((pdu.short_message as { message: string }).message));
        setTimeout(() => {
          outstanding--;
          session.send(pdu.response({ message_id: `W${++id}` }));
        }, 5);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sut = new SmppGateway({
      connections: [
        { id: 'w', url: `smpp://127.0.0.1:${port}`, systemId: 'x', password: 'y', weight: 1 },
      ],
      windowSize: 4,
    });
    try {
      await sut.start();
      const sent = await Promise.all(
        Array.from({ length: 30 }, (_, i) => sut.send(sms({ text: `Window ${i}` }))),
      );
      expect(sent.every((r) => r.smscId === 'w' && r.messageIds.length === 1)).toBe(true);
      expect(most).toBe(4);
      expect(texts.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `Window ${i}`).sort());
    } finally {
      await sut.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('SmtpMailer against an SMTP server on the wire', () => {
  let sink: SmtpSink;
  let sut: SmtpMailer;

  const email = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => {
    const rendered = renderEmail(
      {
        subject: 'تجديد رخصة ((نوع الرخصة)) – طلب رقم ((رقم الطلب))',
        body: 'عزيزي ((الاسم))،\n\nتمت الموافقة على طلبكم.',
        lang: 'ar',
      },
      { 'نوع الرخصة': 'القيادة', 'رقم الطلب': 'R-77', الاسم: 'فاطمة' },
    );
    return {
      reference: 'ntf-42',
      to: 'fatima@example.bh',
      from: 'Diwan <no-reply@diwan.gov.bh>',
      lang: 'ar',
      ...rendered,
      ...overrides,
    };
  };

  beforeEach(async () => {
    sink = await startSmtpSink();
    sut = new SmtpMailer({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      maxConnections: 2,
      timeoutMs: 5_000,
    });
  });

  afterEach(async () => {
    sut.close();
    await sink.close();
  });

  it('delivers an Arabic email with an encoded subject, a right-to-left HTML part and a text part', async () => {
    const result = await sut.send(email());

    expect(result.messageId).toBe('<ntf-42@diwan.gov.bh>');
    const [received] = sink.messages;
    expect(received.subject).toBe('تجديد رخصة القيادة – طلب رقم R-77');
    expect(received.source).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(received.html).toContain('<html lang="ar" dir="rtl">');
    expect(received.text?.trim()).toBe('عزيزي فاطمة،\n\nتمت الموافقة على طلبكم.');
    expect(received.messageId).toBe('<ntf-42@diwan.gov.bh>');
    expect(received.headers.get('content-language')).toBe('ar');
    expect(received.headers.get('x-diwan-notification-id')).toBe('ntf-42');
    expect(received.headers.has('list-unsubscribe')).toBe(false);
  });

  it('adds List-Unsubscribe only when given', async () => {
    await sut.send(email({ listUnsubscribe: 'https://diwan.gov.bh/unsubscribe/abc' }));
    expect(sink.messages[0].source).toMatch(
      /^List-Unsubscribe: <https:\/\/diwan\.gov\.bh\/unsubscribe\/abc>/m,
    );
  });

  it('reports a 451 reply as a temporary failure', async () => {
    sink.failNext(451);
    const error = await sut.send(email()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTemporaryError);
    expect(error).toMatchObject({ temporary: true, smtp: { responseCode: 451 } });
  });

  it('reports a 550 reply as a permanent failure', async () => {
    sink.failNext(550);
    const error = await sut.send(email()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailPermanentError);
    expect(error).toMatchObject({ temporary: false, smtp: { responseCode: 550 } });
  });

  it('sends again after a refusal on the same pool', async () => {
    sink.failNext(451);
    await expect(sut.send(email())).rejects.toBeInstanceOf(EmailTemporaryError);
    await expect(sut.send(email())).resolves.toMatchObject({ messageId: '<ntf-42@diwan.gov.bh>' });
    expect(sink.messages).toHaveLength(1);
  });

  it('reports an unreachable server as a temporary failure', async () => {
    const closedPort = sink.port;
    await sink.close();
    const unreachable = new SmtpMailer({
      host: '127.0.0.1',
      port: closedPort,
      secure: false,
      maxConnections: 1,
      timeoutMs: 2_000,
    });
    await expect(unreachable.send(email())).rejects.toBeInstanceOf(EmailTemporaryError);
    unreachable.close();
    sink = await startSmtpSink();
  });
});
