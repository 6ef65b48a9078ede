// One notification channel (webhook, ntfy, GitHub issue) and the ledger that remembers what each
// channel was sent, so that the same key is announced once, updated in place, and closed once.
import type { Notification, NotifyResult } from './notifier.js';

export interface SentRecord {
  channel: NotifyResult['channel'];
  key: string;
  contentHash: string;
  /** What the channel needs to update it later (the issue number). */
  ref: string | null;
  state: 'open' | 'resolved';
}

export interface ChannelDelivery {
  /** Where it landed, kept in the ledger (the issue number). */
  ref?: string | null;
  url?: string;
}

export interface NotifyChannel {
  readonly name: NotifyResult['channel'];
  /** First announcement of a key. Throws on failure (the notifier turns it into `failed`). */
  send(notification: Notification): Promise<ChannelDelivery>;
  /** The same key with new content; null: this channel does not announce updates (a phone is not a log). */
  update: ((notification: Notification, previous: SentRecord) => Promise<ChannelDelivery>) | null;
  /** The event is over: close what was opened, announce it once. */
  resolve(previous: SentRecord, note: string): Promise<ChannelDelivery>;
}

export interface NotificationLedger {
  get(channel: NotifyResult['channel'], key: string): SentRecord | null;
  put(record: SentRecord): void;
}
