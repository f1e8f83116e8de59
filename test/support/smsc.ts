import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { planSms } from '../../src/modules/notifications/providers/sms-encoding.js';

/**
 * An SMSC stand-in for integration tests, on the real `smpp` server and a real TCP port, so
 * the gateway is tested against the wire protocol rather than a mock. It records what it
 * receives and can be told to misbehave the ways real SMSCs do.
 */
export interface TestSmscOptions {
  systemId?: string;
  password?: string;
  /** Prefix of generated message ids, so ids from two SMSCs never collide in a test. */
  messageIdPrefix?: string;
}

/** A submit_sm as the SMSC saw it. */
export interface SubmittedSms {
  messageId: string;
  source: string;
  destination: string;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** Concatenation header (IEI 0x00), when present. */
  concatenation?: { reference: number; total: number; sequence: number };
  /** The text of this part, decoded by the smpp package from `dataCoding`. */
  text: string;
  /**
   * The part's payload bytes. The smpp package hands out decoded text only, so this is that
   * text encoded again: for UCS-2 a lossless byte swap of what came in, hence byte-exact.
   */
  payload: Buffer;
}

export interface TestSmsc {
  port: number;
  url: string;
  /** Every PDU received, decoded, in arrival order. */
  received: smpp.PDU[];
  /** The accepted submit_sm, in arrival order. */
  submitted(): SubmittedSms[];
  /** Sends a receipt for a message id on a bound session; resolves with the deliver_sm_resp status. */
  sendReceipt(messageId: string, stat: string, options?: { withTlvs?: boolean }): Promise<number>;
  throttleNext(count: number): void;
  rejectNext(commandStatus: number, count?: number): void;
  /**
   * Stops answering at once, then ends every session after `stallMs`, as a failing SMSC does:
   * submits sent in between are left unanswered (in flight), those answered before are kept.
   */
  dropConnections(stallMs?: number): Promise<void>;
  boundSessions(): number;
  close(): Promise<void>;
}

const THROTTLED = 0x58;
const MESSAGE_STATE: Record<string, number> = {
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
};

export async function startTestSmsc(options: TestSmscOptions = {}): Promise<TestSmsc> {
  const systemId = options.systemId ?? 'diwan';
  const password = options.password ?? 'secret';
  const prefix = options.messageIdPrefix ?? 'M';
  const received: smpp.PDU[] = [];
  const submitted: SubmittedSms[] = [];
  const bound = new Set<smpp.Session>();
  const dropped = new WeakSet<smpp.Session>();
  const refusals: number[] = [];
  let nextId = 1;

  const server = smpp.createServer((session) => {
    session.on('error', () => undefined);
    session.on('close', () => bound.delete(session));
    session.on('pdu', (pdu) => {
      if (!dropped.has(session)) received.push(pdu);
    });
    session.on('bind_transceiver', (pdu) => {
      const ok = pdu.system_id === systemId && pdu.password === password;
      session.send(pdu.response(ok ? {} : { command_status: 0x0d }));
      if (ok) bound.add(session);
      else session.close();
    });
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => session.send(pdu.response(), () => session.close()));
    session.on('submit_sm', (pdu) => {
      if (dropped.has(session)) return;
      if (!bound.has(session)) return void session.send(pdu.response({ command_status: 0x04 }));
      const refusal = refusals.shift();
      if (refusal !== undefined)
        return void session.send(pdu.response({ command_status: refusal }));
      const messageId = `${prefix}${nextId++}`;
      submitted.push(describeSubmit(pdu, messageId));
      session.send(pdu.response({ message_id: messageId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `smpp://127.0.0.1:${port}`,
    received,
    submitted: () => [...submitted],
    sendReceipt(messageId, stat, { withTlvs = false } = {}) {
      const session = [...bound][0];
      if (!session) return Promise.reject(new Error('No bound session to send a receipt on'));
      const original = submitted.find((sms) => sms.messageId === messageId);
      const text = `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2501011200 done date:2501011201 stat:${stat} err:000 text:`;
      const tlvs = withTlvs
        ? { receipted_message_id: messageId, message_state: MESSAGE_STATE[stat] ?? 7 }
        : {};
      const pdu = new smpp.PDU('deliver_sm', {
        source_addr: original?.destination ?? '',
        destination_addr: original?.source ?? '',
        esm_class: 0x04,
        data_coding: 0,
        short_message: text,
        ...tlvs,
      });
      return new Promise((resolve) =>
        session.send(pdu, (response) => resolve(response.command_status)),
      );
    },
    throttleNext: (count) => refusals.push(...Array<number>(count).fill(THROTTLED)),
    rejectNext: (commandStatus, count = 1) =>
      refusals.push(...Array<number>(count).fill(commandStatus)),
    async dropConnections(stallMs = 20) {
      const sessions = [...server.sessions];
      for (const session of sessions) {
        dropped.add(session);
        bound.delete(session);
      }
      await new Promise((resolve) => setTimeout(resolve, stallMs));
      await Promise.all(
        sessions.map((session) => new Promise<void>((resolve) => session.close(resolve))),
      );
    },
    boundSessions: () => bound.size,
    async close() {
      for (const session of [...server.sessions]) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function describeSubmit(pdu: smpp.PDU, messageId: string): SubmittedSms {
  const message = pdu.short_message as { udh?: Buffer[]; message: string | Buffer };
  const dataCoding = Number(pdu.data_coding);
  const text =
    typeof message.message === 'string' ? message.message : message.message.toString('latin1');
  const header = message.udh?.find((element) => element[0] === 0x00);
  return {
    messageId,
    source: String(pdu.source_addr),
    destination: String(pdu.destination_addr),
    dataCoding,
    esmClass: Number(pdu.esm_class),
    registeredDelivery: Number(pdu.registered_delivery),
    concatenation: header
      ? { reference: header[2], total: header[3], sequence: header[4] }
      : undefined,
    text,
    payload:
      dataCoding === 8
        ? Buffer.from(text, 'utf16le').swap16()
        : planSms(text, { maxParts: 1 }).parts[0],
  };
}
