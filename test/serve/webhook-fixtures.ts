// Webhook deliveries as Alertmanager and GitHub send them: Alertmanager payload version 4 (firing,
// resolved, grouped) and GitHub's own example payloads (@octokit/webhooks-examples), signed.
import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, any>> }>;

export function githubExample(event: string, pick: (e: Record<string, any>) => boolean = () => true): Record<string, any> {
  const found = examples.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no example ${event}`);
  return structuredClone(found);
}

export interface AlertSpec {
  name: string;
  fingerprint: string;
  startsAt?: string;
  status?: 'firing' | 'resolved';
  annotations?: Record<string, string>;
}

export function alertmanagerPayload(group: string, alerts: AlertSpec[], status?: 'firing' | 'resolved') {
  const all = alerts.map((a) => ({
    status: a.status ?? 'firing',
    labels: { alertname: a.name, group, instance: `${a.fingerprint}:9100`, severity: 'critical' },
    annotations: a.annotations ?? { summary: `${a.name} is failing` },
    startsAt: a.startsAt ?? '2026-12-04T10:00:00.000Z',
    endsAt: a.status === 'resolved' ? '2026-12-04T10:30:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus:9090/graph?g0.expr=up%3D%3D0`,
    fingerprint: a.fingerprint,
  }));
  return {
    version: '4',
    groupKey: `{}/{severity="critical"}:{group="${group}"}`,
    truncatedAlerts: 0,
    status: status ?? (all.every((a) => a.status === 'resolved') ? 'resolved' : 'firing'),
    receiver: 'steward',
    groupLabels: { group },
    commonLabels: { group, severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: all,
  };
}

export async function signedGitHubRequest(secret: string, event: string, delivery: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': await sign(secret, body), 'user-agent': 'GitHub-Hookshot/test' },
    body,
  };
}
