import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/config.js';
import { DATABASE_CONFIG } from '../config/config.tokens.js';
import { ROOT_LOGGER } from '../logging/logger.tokens.js';

export interface NotificationSubscriber {
  /** A `NOTIFY channel, payload` committed by any process on this database. */
  onNotification(payload: string): void;
  /**
   * Notifications may have been missed (the listening connection was lost, or has just been
   * opened): whatever a subscriber derived from earlier ones must be dropped.
   */
  onReset(): void;
}

const RETRY_MS = [250, 1_000, 5_000];

/**
 * PostgreSQL `LISTEN` on one dedicated connection, shared by every subscriber of this process,
 * so that an in-process cache can learn at once when another instance (or this one) changed
 * what it caches. `listening` says whether notifications are being received right now: a cache
 * must not be trusted while it is false, because a change made meanwhile would go unheard.
 *
 * The embedded database (PGlite) serves one process over one connection, so there is nothing
 * to listen to: every change is made by this process, which tells its caches itself, and
 * `listening` is always true.
 */
@Injectable()
export class DatabaseNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subscribers = new Map<string, Set<NotificationSubscriber>>();
  private client: pg.Client | null = null;
  private connected = false;
  private closing = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DATABASE_CONFIG) private readonly db: DatabaseConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  get listening(): boolean {
    return this.db.embedded || this.connected;
  }

  /** Subscribes to a channel (a plain SQL identifier); takes effect at once if connected. */
  subscribe(channel: string, subscriber: NotificationSubscriber): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.subscribers.get(channel);
    if (!set) {
      this.subscribers.set(channel, (set = new Set()));
      if (this.connected && this.client)
        this.client.query(`LISTEN ${channel}`).catch((e: Error) => this.lost(e));
    }
    set.add(subscriber);
  }

  onApplicationBootstrap(): void {
    if (!this.db.embedded && this.db.url) this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    this.connected = false;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private connect(): void {
    const client = new pg.Client({
      connectionString: this.db.url,
      application_name: 'diwan-listen',
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (m) => {
      for (const s of this.subscribers.get(m.channel) ?? []) s.onNotification(m.payload ?? '');
    });
    client.on('error', (e) => this.lost(e));
    client.on('end', () => this.lost(new Error('listening connection ended')));
    void (async () => {
      try {
        await client.connect();
        for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${channel}`);
        if (this.client !== client) return;
        this.connected = true;
        this.attempt = 0;
        // Anything derived before this point may have missed a notification.
        this.resetAll();
      } catch (e) {
        this.lost(e as Error);
      }
    })();
  }

  private lost(e: Error): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.connected = false;
    this.resetAll();
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.closing) return;
    const wait = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    this.logger.warn({ err: e.message, retryInMs: wait }, 'database notifications: reconnecting');
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.closing) this.connect();
    }, wait);
    this.retry.unref();
  }

  private resetAll(): void {
    for (const set of this.subscribers.values()) for (const s of set) s.onReset();
  }
}
