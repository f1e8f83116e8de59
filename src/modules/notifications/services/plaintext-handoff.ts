import { Injectable } from '@nestjs/common';
import { RecentPlaintexts } from '../domain/recent-plaintexts.js';
import type { NotificationContent } from './notification-sender.js';

/**
 * Recipients and contents the sender just encrypted, handed to this process's worker so it
 * need not decrypt them again (see RecentPlaintexts). Another process's worker, a retry or a
 * re-enqueue after the time to live decrypts the stored values as always.
 */
@Injectable()
export class PlaintextHandoff {
  readonly recipients = new RecentPlaintexts<string>();
  readonly contents = new RecentPlaintexts<NotificationContent>();
}
