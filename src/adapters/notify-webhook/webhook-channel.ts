// The generic webhook channel: a JSON document per event (sent, updated, resolved), signed with
// HMAC-SHA256 of the exact body the way GitHub signs its webhooks, so receivers can reuse code.
import { createHmac } from 'node:crypto';
import type { Notification } from '../../ports/notifier.js';
import type { NotifyChannel, SentRecord } from '../../ports/notify-channel.js';
import { postOnce } from './post-json.js';

export const SIGNATURE_HEADER = 'x-steward-signature-256';

export interface WebhookChannelOptions {
  url: string;
  /** HMAC key; without it the body goes unsigned. */
  secret?: string;
  timeoutMs: number;
  now?: () => Date;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function createWebhookChannel(options: WebhookChannelOptions): NotifyChannel {
  const now = options.now ?? (() => new Date());
  const post = async (event: 'sent' | 'updated' | 'resolved', document: Record<string, unknown>) => {
    const body = JSON.stringify({ schema: 'steward.notification/v1', event, ...document, at: now().toISOString() });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'steward', 'x-steward-event': event };
    if (options.secret) headers[SIGNATURE_HEADER] = signBody(options.secret, body);
    await postOnce('notify webhook', options.url, { headers, body }, options.timeoutMs);
    return {};
  };
  const documentOf = (n: Notification) => ({ key: n.key, kind: n.kind, severity: n.severity, title: n.title, body: n.body, links: n.links ?? [] });
  return {
    name: 'webhook',
    send: (n) => post('sent', documentOf(n)),
    update: (n) => post('updated', documentOf(n)),
    resolve: (previous: SentRecord, note: string) => post('resolved', { key: previous.key, note }),
  };
}
