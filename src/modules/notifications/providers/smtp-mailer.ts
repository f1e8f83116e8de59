import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { EmailPermanentError, EmailTemporaryError } from '../errors/notifications.errors.js';

/**
 * Email delivery through one SMTP relay with a pool of connections. The Message-ID is derived
 * from our notification id, so a retried send is recognisably the same message to the
 * relay and the recipient's provider (and deduplicated by those that do so).
 */
export interface SmtpMailerConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when offered. */
  secure: boolean;
  auth?: { user: string; pass: string };
  maxConnections: number;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  /** Right-hand side of our Message-IDs; defaults to the sender's domain. */
  messageIdDomain?: string;
  /** Socket-level timeouts in ms (connect, greeting, idle socket). */
  timeoutMs?: number;
}

export interface OutgoingEmail {
  /** Our notification id. */
  reference: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  lang: 'ar' | 'en';
  /** Unsubscribe URL (https: or mailto:), for the List-Unsubscribe header. */
  listUnsubscribe?: string;
}

export interface EmailSubmitted {
  messageId: string;
  /** The relay's final reply, e.g. `250 2.0.0 Ok: queued as 4B2F1`. */
  response: string;
}

export const NOTIFICATION_ID_HEADER = 'X-Diwan-Notification-Id';

/** Our credentials were refused: the message is fine and can go once the config is fixed. */
const OUR_AUTH_ERROR_CODES: ReadonlySet<string> = new Set(['EAUTH', 'ENOAUTH']);

export class SmtpMailer {
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpMailerConfig) {
    this.transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.auth,
      pool: true,
      maxConnections: config.maxConnections,
      dkim: config.dkim,
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
    });
  }

  async send(email: OutgoingEmail): Promise<EmailSubmitted> {
    const messageId = `<${email.reference}@${this.config.messageIdDomain ?? domainOf(email.from)}>`;
    const message: SendMailOptions = {
      from: email.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
      headers: { 'Content-Language': email.lang, [NOTIFICATION_ID_HEADER]: email.reference },
      list: email.listUnsubscribe ? { unsubscribe: email.listUnsubscribe } : undefined,
    };
    try {
      const info = (await this.transport.sendMail(message)) as { response: string };
      return { messageId, response: info.response };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  /** Closes pooled connections; in-flight sends finish first. */
  close(): void {
    this.transport.close();
  }
}

/**
 * 4xx replies and broken connections are temporary; 5xx replies are permanent, except 503
 * (bad sequence of commands, about the session rather than the message) and a refused login
 * (about our configuration). An envelope nodemailer itself refuses is permanent too.
 */
export function classifySmtpError(error: unknown): EmailTemporaryError | EmailPermanentError {
  const { responseCode, code, message } = error as {
    responseCode?: number;
    code?: string;
    message?: string;
  };
  const detail = { responseCode, errorCode: code };
  const text = message ?? String(error);
  const permanent =
    !(code && OUR_AUTH_ERROR_CODES.has(code)) &&
    ((responseCode !== undefined && responseCode >= 500 && responseCode !== 503) ||
      (responseCode === undefined && code === 'EENVELOPE'));
  return permanent ? new EmailPermanentError(text, detail) : new EmailTemporaryError(text, detail);
}

function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  if (!match) throw new Error(`No domain in sender address ${address}`);
  return match[1];
}
