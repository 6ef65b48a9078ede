// The ntfy channel: a POST to the topic URL, the body as markdown, the title, priority and tags
// as headers. A phone is not a log: updates of an open key are not announced again.
import type { Notification } from '../../ports/notifier.js';
import type { NotifyChannel } from '../../ports/notify-channel.js';
import { postOnce } from '../notify-webhook/post-json.js';

export interface NtfyChannelOptions {
  /** The topic URL, e.g. https://ntfy.sh/my-homelab. */
  url: string;
  token?: string;
  timeoutMs: number;
}

/** ntfy keeps 4096 bytes of a message; longer ones become attachments, which Steward does not want. */
const MAX_BODY_BYTES = 3_800;
const PRIORITY = { critical: '5', warning: '4', info: '3' } as const;

/**
 * A header value from untrusted text: one line (no header injection), and non-ASCII as an RFC 2047
 * encoded word, which ntfy decodes.
 */
export function headerText(text: string, maxChars = 250): string {
  const line = text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, maxChars);
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

export function truncateBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Cut on a character boundary, then say so.
  return `${new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, '')}\n…(truncated)`;
}

export function createNtfyChannel(options: NtfyChannelOptions): NotifyChannel {
  const post = async (title: string, body: string, priority: string, tags: string[], clickUrl?: string) => {
    const headers: Record<string, string> = { title: headerText(title), priority, tags: tags.join(','), markdown: 'yes', 'content-type': 'text/markdown; charset=utf-8' };
    if (clickUrl) headers.click = clickUrl;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    await postOnce('notify ntfy', options.url, { headers, body: truncateBytes(body, MAX_BODY_BYTES) }, options.timeoutMs);
    return {};
  };
  const tagsOf = (n: Notification) => [n.severity === 'critical' ? 'rotating_light' : n.severity === 'warning' ? 'warning' : 'information_source', n.kind];
  return {
    name: 'ntfy',
    send: (n) => post(n.title, n.body, PRIORITY[n.severity], tagsOf(n), n.links?.[0]?.url),
    update: null,
    resolve: (previous, note) => post(`Resolved: ${previous.key}`, note, '2', ['white_check_mark', 'resolved']),
  };
}
