import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A mail server stand-in for integration tests: real SMTP on a real port, each message parsed
 * with mailparser (so tests see what a mail client would), and able to refuse the next
 * message with a 4xx or 5xx reply.
 */
export interface SmtpSink {
  port: number;
  /** Parsed messages, in arrival order, with the raw source for header-level checks. */
  messages: Array<ParsedMail & { source: string }>;
  /** Answers the next `count` messages with this reply code (e.g. 451, 550) instead of 250. */
  failNext(responseCode: number, count?: number): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = [];
  const failures: number[] = [];

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const failure = failures.shift();
        if (failure !== undefined) {
          callback(
            Object.assign(new Error(failure >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
              responseCode: failure,
            }),
          );
          return;
        }
        const source = Buffer.concat(chunks);
        simpleParser(source).then(
          (mail) => {
            messages.push(Object.assign(mail, { source: source.toString('utf8') }));
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    messages,
    failNext: (responseCode, count = 1) =>
      failures.push(...Array<number>(count).fill(responseCode)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
