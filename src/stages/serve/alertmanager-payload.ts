// Alertmanager's webhook payload (version 4), checked with zod, and the deterministic keys Steward
// derives from it: an incident per alert group, an alert per (fingerprint, startsAt). Never text.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Alert } from '../../model/agent-session.js';

export const AlertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z.record(z.string(), z.string()),
  commonLabels: z.record(z.string(), z.string()),
  commonAnnotations: z.record(z.string(), z.string()),
  externalURL: z.string(),
  alerts: z.array(Alert).min(1),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The group's identity: Alertmanager's groupKey, hashed (it holds label values, which may be long). */
export function groupIdOf(groupKey: string): string {
  return `am-${digest(groupKey)}`;
}

/**
 * One occurrence of a group's trouble: the group and the earliest start of the alerts that opened
 * it. A group that resolves and fires again later is a new incident with a new key.
 */
export function incidentKeyOf(groupKey: string, openedBy: readonly Alert[]): string {
  const first = [...openedBy.map((a) => a.startsAt)].sort()[0] ?? '';
  return `${groupIdOf(groupKey)}-${digest(`${groupKey}\n${first}`).slice(0, 8)}`;
}

/** The deterministic identity of one alert firing: Alertmanager's fingerprint and its start. */
export function alertKeyOf(alert: Alert): string {
  return `${alert.fingerprint}@${alert.startsAt}`;
}
