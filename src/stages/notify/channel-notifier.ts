// The Notifier over the configured channels: each channel is told a key once, told again only when
// the content changed (where it announces updates), and told once that it is over. Never throws.
import { createHash } from 'node:crypto';
import type { NotificationLedger, NotifyChannel } from '../../ports/notify-channel.js';
import type { Notification, Notifier, NotifyResult } from '../../ports/notifier.js';
import type { Redactor } from '../../redact.js';

export function contentHashOf(n: Notification): string {
  return createHash('sha256').update(JSON.stringify([n.kind, n.severity, n.title, n.body, n.links ?? []])).digest('hex');
}

export function createChannelNotifier(deps: { channels: NotifyChannel[]; ledger: NotificationLedger; redactor: Redactor }): Notifier {
  const failure = (channel: NotifyChannel, error: unknown): NotifyResult => ({ channel: channel.name, status: 'failed', detail: deps.redactor.redact((error as Error).message) });
  return {
    async notify(notification) {
      const hash = contentHashOf(notification);
      return Promise.all(
        deps.channels.map(async (channel): Promise<NotifyResult> => {
          const previous = deps.ledger.get(channel.name, notification.key);
          const open = previous && previous.state !== 'resolved';
          if (open && notification.once) return { channel: channel.name, status: 'duplicate' };
          if (previous && (previous.contentHash === hash || !channel.update)) return { channel: channel.name, status: 'duplicate' };
          try {
            // A key resolved before and announced again (the same trouble is back) opens anew.
            const fresh = !previous || previous.state === 'resolved';
            const sent = fresh ? await channel.send(notification) : await channel.update!(notification, previous);
            deps.ledger.put({ channel: channel.name, key: notification.key, contentHash: hash, ref: sent.ref ?? previous?.ref ?? null, state: 'open' });
            return { channel: channel.name, status: fresh ? 'sent' : 'updated', ...(sent.url ? { url: sent.url } : {}) };
          } catch (error) {
            return failure(channel, error);
          }
        }),
      );
    },
    async resolve(key, note) {
      return Promise.all(
        deps.channels.map(async (channel): Promise<NotifyResult> => {
          const previous = deps.ledger.get(channel.name, key);
          if (!previous || previous.state === 'resolved') return { channel: channel.name, status: 'duplicate', detail: previous ? 'already resolved' : 'never announced' };
          try {
            const sent = await channel.resolve(previous, note);
            deps.ledger.put({ ...previous, state: 'resolved' });
            return { channel: channel.name, status: 'updated', ...(sent.url ? { url: sent.url } : {}) };
          } catch (error) {
            return failure(channel, error);
          }
        }),
      );
    },
  };
}
