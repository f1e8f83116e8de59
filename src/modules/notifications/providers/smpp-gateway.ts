import smpp from 'smpp';
import {
  SmsPermanentError,
  SmsTemporaryError,
  type DeliveryFailure,
} from '../errors/notifications.errors.js';
import { parseDeliveryReceipt, type DeliveryReceipt } from './delivery-receipt.js';
import { planSms, withConcatenationHeaders, type SmsPlan } from './sms-encoding.js';
import { SubmitSm, type SubmitSmParameters } from './smpp-submit.js';

/**
 * SMS delivery over SMPP 3.4 to several SMSCs at once. Each SMSC gets one transceiver bind
 * (submits out, receipts in) kept alive with enquire_link and re-bound with backoff after a
 * drop. A message goes to one SMSC picked by weight among the healthy ones; when that SMSC
 * throttles, drops or fails temporarily, the message moves to an SMSC not yet tried. Only a
 * refusal that would repeat anywhere (bad destination, bad content) is permanent.
 *
 * Delivery is at least once: a submit whose response was lost with the connection is sent
 * again elsewhere, because losing a government notice is worse than sending it twice.
 */
export interface SmscConnectionConfig {
  id: string;
  /** `smpp://host:port` (or `ssmpp://` for TLS). */
  url: string;
  systemId: string;
  password: string;
  /** Share of traffic relative to the other SMSCs. */
  weight: number;
}

export interface SmppGatewayOptions {
  connections: SmscConnectionConfig[];
  enquireLinkIntervalMs?: number;
  /** How long to wait for any response before the link is considered dead. */
  responseTimeoutMs?: number;
  reconnectDelayMs?: { initial: number; max: number };
  /** How long an SMSC that answered ESME_RTHROTTLED gets no traffic. */
  throttleBackoffMs?: number;
  /**
   * SMPP window: submit_sm PDUs awaiting their response on one bind at most. Beyond it, a
   * submit waits its turn here instead of making the SMSC throttle (windows of 10–100 are
   * usual). Default 100.
   */
  windowSize?: number;
  random?: () => number;
  now?: () => number;
  logger?: GatewayLogger;
}

/** Pino-compatible subset, so the app's logger can be passed as is. */
export interface GatewayLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface OutgoingSms {
  /** Our notification id, for logs and errors. */
  reference: string;
  /** E.164, e.g. `+97333123456`. */
  to: string;
  /** Alphanumeric sender id, short code, or E.164 number. */
  from: string;
  text: string;
  maxParts: number;
}

export interface SmsSubmitted {
  smscId: string;
  /** One per part, in order; receipts come per part. */
  messageIds: string[];
  segments: number;
}

export type ReceiptHandler = (receipt: DeliveryReceipt) => void | Promise<void>;

export type SmscState = 'connecting' | 'bound' | 'disconnected' | 'closed';

export interface SmscStatus {
  id: string;
  state: SmscState;
  /** Set while the SMSC is backed off after throttling us. */
  throttledUntil?: Date;
  lastError?: string;
}

/** SMPP command_status values this gateway reacts to (SMPP 3.4 §5.1.3). */
export const SmppStatus = {
  OK: 0x00,
  INVALID_MESSAGE_LENGTH: 0x01,
  SYSTEM_ERROR: 0x08,
  INVALID_SOURCE_ADDRESS: 0x0a,
  INVALID_DESTINATION_ADDRESS: 0x0b,
  BIND_FAILED: 0x0d,
  MESSAGE_QUEUE_FULL: 0x14,
  INVALID_ESM_CLASS: 0x43,
  INVALID_SOURCE_TON: 0x48,
  INVALID_SOURCE_NPI: 0x49,
  INVALID_DESTINATION_TON: 0x50,
  INVALID_DESTINATION_NPI: 0x51,
  THROTTLED: 0x58,
  TEMPORARY_APP_ERROR: 0x64,
  PERMANENT_APP_ERROR: 0x65,
  REJECTED_BY_APP: 0x66,
  PROHIBITED: 0x101,
  INVALID_DATA_CODING: 0x104,
} as const;

/** Refusals that another SMSC or a later retry would repeat; every other status is temporary. */
const PERMANENT_STATUSES: ReadonlySet<number> = new Set([
  SmppStatus.INVALID_MESSAGE_LENGTH,
  SmppStatus.INVALID_SOURCE_ADDRESS,
  SmppStatus.INVALID_DESTINATION_ADDRESS,
  SmppStatus.INVALID_ESM_CLASS,
  SmppStatus.INVALID_SOURCE_TON,
  SmppStatus.INVALID_SOURCE_NPI,
  SmppStatus.INVALID_DESTINATION_TON,
  SmppStatus.INVALID_DESTINATION_NPI,
  SmppStatus.PERMANENT_APP_ERROR,
  SmppStatus.REJECTED_BY_APP,
  SmppStatus.PROHIBITED,
  SmppStatus.INVALID_DATA_CODING,
]);

const ESM_CLASS_UDH = 0x40;
const ESM_CLASS_TYPE_MASK = 0x3c;
const ESM_CLASS_DELIVERY_RECEIPT = 0x04;
const E164 = /^\+[1-9]\d{6,14}$/;

/** The SMSC answered with a non-zero command_status. */
class SmscRefusal extends Error {
  constructor(readonly commandStatus: number) {
    super(`SMSC answered status 0x${commandStatus.toString(16).padStart(2, '0')}`);
  }
}

/** The link died (drop, timeout, not bound) before an answer came. */
class LinkDown extends Error {}

const silentLogger: GatewayLogger = { info: () => undefined, warn: () => undefined };

type Settings = Required<Omit<SmppGatewayOptions, 'connections'>>;

export class SmppGateway {
  private readonly links: SmscLink[];
  private readonly settings: Settings;
  private receiptHandler?: ReceiptHandler;
  private concatenationReference: number;

  constructor(options: SmppGatewayOptions) {
    if (options.connections.length === 0) throw new Error('SmppGateway needs at least one SMSC');
    this.settings = {
      enquireLinkIntervalMs: options.enquireLinkIntervalMs ?? 30_000,
      responseTimeoutMs: options.responseTimeoutMs ?? 10_000,
      windowSize: options.windowSize ?? 100,
      reconnectDelayMs: options.reconnectDelayMs ?? { initial: 1_000, max: 60_000 },
      throttleBackoffMs: options.throttleBackoffMs ?? 10_000,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      logger: options.logger ?? silentLogger,
    };
    this.links = options.connections.map(
      (config) =>
        new SmscLink(config, this.settings, (link, pdu) => this.acceptDeliverSm(link, pdu)),
    );
    this.concatenationReference = Math.floor(this.settings.random() * 256);
  }

  /** Binds every SMSC; resolves after each has bound or failed once (failed ones keep retrying). */
  async start(): Promise<void> {
    await Promise.all(this.links.map((link) => link.open()));
  }

  /** Receives every delivery receipt. The SMSC gets its ack only after the handler resolves. */
  onReceipt(handler: ReceiptHandler): void {
    this.receiptHandler = handler;
  }

  async send(sms: OutgoingSms): Promise<SmsSubmitted> {
    if (!E164.test(sms.to)) throw new SmsPermanentError('The destination is not an E.164 number');
    const plan = planSms(sms.text, { maxParts: sms.maxParts });
    const tried = new Set<string>();
    let lastFailure: DeliveryFailure | undefined;
    for (let link = this.pick(tried); link; link = this.pick(tried)) {
      tried.add(link.config.id);
      try {
        const messageIds = await this.submitParts(link, sms, plan);
        return { smscId: link.config.id, messageIds, segments: plan.segments };
      } catch (error) {
        const failure = this.classify(link, error);
        this.settings.logger.warn(
          {
            reference: sms.reference,
            smscId: link.config.id,
            error: failure.message,
            temporary: failure.temporary,
          },
          'SMS submit failed',
        );
        if (!failure.temporary) throw failure;
        lastFailure = failure;
      }
    }
    throw lastFailure ?? new SmsTemporaryError('No SMSC is bound and unthrottled');
  }

  status(): SmscStatus[] {
    return this.links.map((link) => link.status());
  }

  /** Unbinds every SMSC and stops reconnecting. */
  async close(): Promise<void> {
    await Promise.all(this.links.map((link) => link.close()));
  }

  /** Weighted random choice among bound, unthrottled SMSCs not tried yet for this message. */
  private pick(tried: ReadonlySet<string>): SmscLink | undefined {
    const now = this.settings.now();
    const candidates = this.links.filter(
      (link) => !tried.has(link.config.id) && link.isHealthy(now) && link.config.weight > 0,
    );
    const total = candidates.reduce((sum, link) => sum + link.config.weight, 0);
    let point = this.settings.random() * total;
    for (const link of candidates) {
      point -= link.config.weight;
      if (point < 0) return link;
    }
    return candidates.at(-1);
  }

  /** Parts go in order on one link; any failure abandons this link for the whole message. */
  private async submitParts(link: SmscLink, sms: OutgoingSms, plan: SmsPlan): Promise<string[]> {
    const multipart = plan.segments > 1;
    const payloads = withConcatenationHeaders(plan.parts, this.nextConcatenationReference());
    const source = sourceAddress(sms.from);
    const messageIds: string[] = [];
    for (const payload of payloads) {
      const response = await link.submit({
        source_addr_ton: source.ton,
        source_addr_npi: source.npi,
        source_addr: source.address,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: sms.to.slice(1),
        esm_class: multipart ? ESM_CLASS_UDH : 0,
        registered_delivery: 1,
        data_coding: plan.dataCoding,
        short_message: payload,
      });
      if (response.command_status !== SmppStatus.OK) throw new SmscRefusal(response.command_status);
      messageIds.push(String(response.message_id));
    }
    return messageIds;
  }

  private nextConcatenationReference(): number {
    this.concatenationReference = (this.concatenationReference + 1) & 0xff;
    return this.concatenationReference;
  }

  private classify(link: SmscLink, error: unknown): DeliveryFailure {
    const smscId = link.config.id;
    if (error instanceof SmscRefusal) {
      const detail = { smscId, commandStatus: error.commandStatus };
      if (error.commandStatus === SmppStatus.THROTTLED)
        link.backOff(this.settings.now() + this.settings.throttleBackoffMs);
      return PERMANENT_STATUSES.has(error.commandStatus)
        ? new SmsPermanentError(error.message, detail)
        : new SmsTemporaryError(error.message, detail);
    }
    if (error instanceof LinkDown)
      return new SmsTemporaryError(`${smscId}: ${error.message}`, { smscId });
    throw error;
  }

  /** Returns the command_status for deliver_sm_resp; a non-zero one makes the SMSC retry later. */
  private async acceptDeliverSm(link: SmscLink, pdu: smpp.PDU): Promise<number> {
    if ((Number(pdu.esm_class) & ESM_CLASS_TYPE_MASK) !== ESM_CLASS_DELIVERY_RECEIPT)
      return SmppStatus.OK;
    const receipt = parseDeliveryReceipt(link.config.id, receiptText(pdu), {
      receiptedMessageId:
        typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined,
      messageState: typeof pdu.message_state === 'number' ? pdu.message_state : undefined,
    });
    if (!receipt) {
      this.settings.logger.warn(
        { smscId: link.config.id, text: receiptText(pdu) },
        'Unreadable delivery receipt dropped',
      );
      return SmppStatus.OK;
    }
    if (!this.receiptHandler) return SmppStatus.TEMPORARY_APP_ERROR;
    try {
      await this.receiptHandler(receipt);
      return SmppStatus.OK;
    } catch (error) {
      this.settings.logger.warn(
        { smscId: link.config.id, messageId: receipt.messageId, error: String(error) },
        'Receipt handler failed; SMSC will resend',
      );
      return SmppStatus.TEMPORARY_APP_ERROR;
    }
  }
}

function sourceAddress(from: string): { ton: number; npi: number; address: string } {
  if (E164.test(from)) return { ton: 1, npi: 1, address: from.slice(1) };
  if (/^\d+$/.test(from)) return { ton: 3, npi: 0, address: from };
  return { ton: 5, npi: 0, address: from };
}

/** The receipt text, whichever field and encoding the SMSC used (receipts are ASCII in practice). */
function receiptText(pdu: smpp.PDU): string {
  const field = (pdu.message_payload ?? pdu.short_message) as
    { message?: unknown } | Buffer | string | undefined;
  const value = Buffer.isBuffer(field) || typeof field === 'string' ? field : field?.message;
  return Buffer.isBuffer(value) ? value.toString('latin1') : typeof value === 'string' ? value : '';
}

interface PendingRequest {
  reject(error: Error): void;
}

/** One SMSC: its current session, bind state, keepalive and reconnection. */
class SmscLink {
  private session?: smpp.Session;
  private state: SmscState = 'disconnected';
  private throttledUntil = 0;
  private lastError?: string;
  private failedAttempts = 0;
  private readonly pending = new Set<PendingRequest>();
  private submitsInFlight = 0;
  private readonly windowWaiters: Array<() => void> = [];
  private keepalive?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private corked = false;
  private firstAttemptDone?: () => void;

  constructor(
    readonly config: SmscConnectionConfig,
    private readonly settings: Settings,
    private readonly onDeliverSm: (link: SmscLink, pdu: smpp.PDU) => Promise<number>,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve) => {
      this.firstAttemptDone = resolve;
      this.connect();
    });
  }

  isHealthy(now: number): boolean {
    return this.state === 'bound' && now >= this.throttledUntil;
  }

  backOff(until: number): void {
    this.throttledUntil = Math.max(this.throttledUntil, until);
  }

  status(): SmscStatus {
    const throttled = this.throttledUntil > this.settings.now();
    return {
      id: this.config.id,
      state: this.state,
      throttledUntil: throttled ? new Date(this.throttledUntil) : undefined,
      lastError: this.lastError,
    };
  }

  /**
   * A submit_sm on the bound session once the window has room (the link may have gone down
   * meanwhile); rejects with LinkDown on drop or timeout.
   */
  async submit(parameters: SubmitSmParameters): Promise<smpp.PDU> {
    while (this.submitsInFlight >= this.settings.windowSize)
      await new Promise<void>((resolve) => this.windowWaiters.push(resolve));
    this.submitsInFlight++;
    try {
      if (this.state !== 'bound' || !this.session) throw new LinkDown('not bound');
      return await this.exchange(this.session, 'submit_sm', new SubmitSm(parameters));
    } finally {
      this.submitsInFlight--;
      this.windowWaiters.shift()?.();
    }
  }

  async close(): Promise<void> {
    const session = this.session;
    const wasBound = this.state === 'bound';
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepalive);
    if (!session || session.socket.destroyed) return;
    if (wasBound) await this.exchange(session, 'unbind', {}).catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (session.socket.destroyed) resolve();
      else if (wasBound) session.close(resolve);
      else session.destroy(resolve);
    });
  }

  private connect(): void {
    this.state = 'connecting';
    const session = smpp.connect({ url: this.config.url });
    this.session = session;
    session.on('error', (error) => {
      this.lastError = error.message;
    });
    session.on('close', () => this.onSessionClosed(session));
    session.on('connect', () => void this.bind(session));
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => session.send(pdu.response(), () => session.close()));
    session.on('deliver_sm', (pdu) => {
      void this.onDeliverSm(this, pdu).then((status) =>
        session.send(pdu.response({ command_status: status })),
      );
    });
  }

  private async bind(session: smpp.Session): Promise<void> {
    try {
      const response = await this.exchange(session, 'bind_transceiver', {
        system_id: this.config.systemId,
        password: this.config.password,
      });
      if (response.command_status !== SmppStatus.OK) throw new SmscRefusal(response.command_status);
      if (this.state !== 'connecting' || session !== this.session) return;
      this.state = 'bound';
      this.failedAttempts = 0;
      this.lastError = undefined;
      this.keepalive = setInterval(
        () => void this.exchange(session, 'enquire_link', {}).catch(() => undefined),
        this.settings.enquireLinkIntervalMs,
      );
      this.settings.logger.info({ smscId: this.config.id }, 'SMSC bound');
    } catch (error) {
      this.lastError = `bind failed: ${(error as Error).message}`;
      session.destroy();
    } finally {
      this.settleFirstAttempt();
    }
  }

  private onSessionClosed(session: smpp.Session): void {
    if (session !== this.session) return;
    clearInterval(this.keepalive);
    for (const request of this.pending) request.reject(new LinkDown('connection dropped'));
    this.pending.clear();
    this.settleFirstAttempt();
    if (this.state === 'closed') return;
    this.state = 'disconnected';
    this.lastError ??= 'connection closed by the SMSC';
    const { initial, max } = this.settings.reconnectDelayMs;
    const delay =
      Math.min(max, initial * 2 ** this.failedAttempts) * (0.5 + this.settings.random() / 2);
    this.failedAttempts++;
    this.settings.logger.warn(
      { smscId: this.config.id, error: this.lastError, retryInMs: Math.round(delay) },
      'SMSC connection lost',
    );
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private settleFirstAttempt(): void {
    this.firstAttemptDone?.();
    this.firstAttemptDone = undefined;
  }

  /**
   * PDUs sent in the same tick (a batch of claimed notifications) leave in one write
   * instead of one system call each; nothing waits longer than the current tick.
   */
  private coalesceWrites(session: smpp.Session): void {
    if (this.corked) return;
    this.corked = true;
    session.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      session.socket.uncork();
    });
  }

  /** A request and its response; a missing response kills the session, which triggers a reconnect. */
  private exchange(
    session: smpp.Session,
    command: string,
    parameters: Record<string, unknown> | SubmitSm,
  ): Promise<smpp.PDU> {
    return new Promise((resolve, reject) => {
      const pending: PendingRequest = {
        reject: (error) => {
          clearTimeout(timer);
          this.pending.delete(pending);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        pending.reject(
          new LinkDown(`no ${command}_resp within ${this.settings.responseTimeoutMs} ms`),
        );
        session.destroy();
      }, this.settings.responseTimeoutMs);
      this.coalesceWrites(session);
      const pdu = parameters instanceof SubmitSm ? parameters : new smpp.PDU(command, parameters);
      const written = session.send(pdu, (response) => {
        clearTimeout(timer);
        this.pending.delete(pending);
        resolve(response);
      });
      if (written) this.pending.add(pending);
      else pending.reject(new LinkDown('connection not writable'));
    });
  }
}
