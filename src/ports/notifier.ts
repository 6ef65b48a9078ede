// Notifications to people: escalations, held risky changes, failed deploys, proposed actions.
// Channels (generic HMAC-signed webhook, ntfy, one GitHub issue per incident) implement it; every
// notification carries a deterministic key, so the same event is never announced twice.

export type NotificationKind = 'escalation' | 'held' | 'deploy-failed' | 'action-proposed' | 'resolved';

export interface Notification {
  /** Deterministic deduplication key, e.g. `incident:<incidentKey>`, `held:<sha>`, `deploy-failed:<sha>`. */
  key: string;
  kind: NotificationKind;
  severity: 'info' | 'warning' | 'critical';
  /** One line. Untrusted parts are escaped by each channel's renderer, never by the caller. */
  title: string;
  /** Markdown body: evidence, what Steward did, what a person should do. Already redacted. */
  body: string;
  links?: Array<{ label: string; url: string }>;
  /**
   * Announced once per key, never updated: a rerun of the same held or failed commit tells nothing
   * new, though its report (timings, times) differs. Without it, changed content is an update.
   */
  once?: boolean;
}

export interface NotifyResult {
  channel: 'webhook' | 'ntfy' | 'github-issue';
  /** `duplicate`: this key was already sent with the same content (nothing sent again). */
  status: 'sent' | 'updated' | 'duplicate' | 'failed';
  detail?: string;
  /** Where it landed (the issue URL), when the channel has one. */
  url?: string;
}

export interface Notifier {
  /** Sends (or, for a key already open, updates) a notification on every configured channel. Never throws. */
  notify(notification: Notification): Promise<NotifyResult[]>;
  /** The event behind `key` is over (an incident resolved): closes its issue, announces it once. Never throws. */
  resolve(key: string, note: string): Promise<NotifyResult[]>;
}

export const silentNotifier: Notifier = {
  notify: async () => [],
  resolve: async () => [],
};
