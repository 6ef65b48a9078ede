// The webhook and ntfy channels against local receivers, through the deduplicating notifier.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createNtfyChannel } from '../../src/adapters/notify-ntfy/ntfy-channel.js';
import { createWebhookChannel } from '../../src/adapters/notify-webhook/webhook-channel.js';
import { SqliteNotificationLedger } from '../../src/adapters/store-sqlite/notification-ledger.js';
import type { Notification } from '../../src/ports/notifier.js';
import { Redactor } from '../../src/redact.js';
import { createChannelNotifier } from '../../src/stages/notify/channel-notifier.js';
import { startReceiver } from './notify-receiver.js';

const escalation: Notification = {
  key: 'incident:am-1234-abcd',
  kind: 'escalation',
  severity: 'critical',
  title: 'postgres down on nas — escalated\r\nX-Injected: yes',
  body: '**Evidence**: `postgresql.service` failed\n\n' + 'x'.repeat(5000),
  links: [{ label: 'Alertmanager', url: 'http://alertmanager:9093' }],
};

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

async function receiver(status = 200) {
  const r = await startReceiver(status);
  closers.push(r.close);
  return r;
}

describe('webhook channel', () => {
  it('posts a signed JSON document once per key, again when it changed, and once when resolved', async () => {
    const hook = await receiver();
    const notifier = createChannelNotifier({ channels: [createWebhookChannel({ url: `${hook.url}/hook`, secret: 'hmac-key', timeoutMs: 5_000 })], ledger: new SqliteNotificationLedger(':memory:'), redactor: new Redactor() });
    expect(await notifier.notify(escalation)).toEqual([{ channel: 'webhook', status: 'sent' }]);
    expect(await notifier.notify(escalation)).toEqual([{ channel: 'webhook', status: 'duplicate' }]);
    expect(await notifier.notify({ ...escalation, body: 'new evidence' })).toEqual([{ channel: 'webhook', status: 'updated' }]);
    expect(await notifier.resolve(escalation.key, 'all alerts resolved')).toEqual([{ channel: 'webhook', status: 'updated' }]);
    expect(await notifier.resolve(escalation.key, 'all alerts resolved')).toMatchObject([{ channel: 'webhook', status: 'duplicate' }]);
    expect(hook.received.map((r) => r.headers['x-steward-event'])).toEqual(['sent', 'updated', 'resolved']);
    for (const request of hook.received) {
      expect(request.headers['x-steward-signature-256']).toBe(`sha256=${createHmac('sha256', 'hmac-key').update(request.body).digest('hex')}`);
    }
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ schema: 'steward.notification/v1', event: 'sent', key: escalation.key, kind: 'escalation', title: escalation.title });
  });

  it('reports a receiver that fails as failed, without throwing, and tries again next time', async () => {
    const hook = await receiver(500);
    const notifier = createChannelNotifier({ channels: [createWebhookChannel({ url: hook.url, timeoutMs: 5_000 })], ledger: new SqliteNotificationLedger(':memory:'), redactor: new Redactor() });
    expect(await notifier.notify(escalation)).toMatchObject([{ channel: 'webhook', status: 'failed', detail: expect.stringContaining('HTTP 500') }]);
    hook.state.status = 200;
    expect(await notifier.notify(escalation)).toEqual([{ channel: 'webhook', status: 'sent' }]);
  });
});

describe('ntfy channel', () => {
  it('posts to the topic with Title, Priority and Tags; one line titles, bounded bodies; no repeat for updates', async () => {
    const ntfy = await receiver();
    const notifier = createChannelNotifier({ channels: [createNtfyChannel({ url: `${ntfy.url}/homelab`, token: 'tk_secret', timeoutMs: 5_000 })], ledger: new SqliteNotificationLedger(':memory:'), redactor: new Redactor() });
    expect(await notifier.notify(escalation)).toEqual([{ channel: 'ntfy', status: 'sent' }]);
    expect(await notifier.notify({ ...escalation, body: 'changed' })).toEqual([{ channel: 'ntfy', status: 'duplicate' }]);
    await notifier.resolve(escalation.key, 'all alerts resolved');
    const [sent, resolved] = ntfy.received;
    expect(sent).toMatchObject({ method: 'POST', path: '/homelab', headers: { priority: '5', tags: 'rotating_light,escalation', authorization: 'Bearer tk_secret', click: 'http://alertmanager:9093' } });
    // Non-ASCII as an RFC 2047 word; the CR LF of the untrusted title cannot add a header.
    expect(sent!.headers['x-injected']).toBeUndefined();
    const title = String(sent!.headers.title);
    expect(Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(title)![1]!, 'base64').toString('utf8')).toBe('postgres down on nas — escalated X-Injected: yes');
    expect(Buffer.byteLength(sent!.body)).toBeLessThan(4096);
    expect(resolved).toMatchObject({ headers: { priority: '2', tags: 'white_check_mark,resolved' }, body: 'all alerts resolved' });
    expect(ntfy.received).toHaveLength(2);
  });
});
