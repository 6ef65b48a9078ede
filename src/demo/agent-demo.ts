// `steward demo`, part 3: the agent. A job's allocation fails its checks in the simulator and a
// leaf unit fails on a fixture host. Alertmanager's webhook (payload version 4) reaches the real
// `steward serve` listener (loopback, bearer auth from the config); its durable queue runs the
// session, which gathers context and escalates: printed as the notification and the GitHub issue
// would arrive. The alert then resolves and the issue closes. Without a logged-in `claude` it is
// rules-only triage, and says so.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderIssue } from '../adapters/notify-github-issue/github-issue-channel.js';
import { SqliteNotificationLedger } from '../adapters/store-sqlite/notification-ledger.js';
import { renderSessionText } from '../agent/session/render-answer.js';
import { loadConfig } from '../config/load.js';
import type { ServeJobRow } from '../ports/serve-queue.js';
import type { Notification } from '../ports/notifier.js';
import type { NotifyChannel } from '../ports/notify-channel.js';
import type { SessionRecord } from '../ports/session-runner.js';
import { createCliContext } from '../cli/context.js';
import { startServeRuntime } from '../cli/serve-runtime.js';
import { SqliteSessionStore } from '../adapters/store-sqlite/session-store.js';
import { startSimulator } from '../sim/simulator.js';
import { createChannelNotifier } from '../stages/notify/channel-notifier.js';
import { createHomelabRepo } from './homelab-repo.js';

export interface AgentDemoOptions {
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  workdir: string;
}

export interface AgentDemoResult {
  record: SessionRecord;
  /** What each channel received, in order. */
  delivered: Array<{ channel: 'webhook' | 'github-issue'; event: 'sent' | 'updated' | 'resolved'; text: string }>;
  jobs: ServeJobRow[];
}

const TOKEN_ENV = 'STEWARD_DEMO_ALERTMANAGER_TOKEN';

export async function runAgentDemo(options: AgentDemoOptions): Promise<AgentDemoResult> {
  const { out } = options;
  out('\n---\n\n# Part 3: the agent looks after the homelab\n');
  const repo = await createHomelabRepo({ parent: options.workdir });
  await repo.git.raw(['branch', '-M', 'main']);
  const sim = await startSimulator({ scenario: 'empty', datacenter: 'home' });
  try {
    const dir = path.join(repo.dir, 'nomad');
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.nomad')).sort()) await sim.control.runJob(await readFile(path.join(dir, file), 'utf8'), { instant: true });
    const failing = sim.control.state.liveAllocs('grafana')[0] ?? [...sim.control.state.allocs.values()][0]!;
    sim.control.setAllocHealth(String(failing.wire.ID), false);
    const hostsRoot = path.join(options.workdir, 'agent-hosts');
    for (const host of ['desk', 'nas', 'node1', 'node2', 'node3']) for (const sub of ['run', 'var/log/journal']) mkdirSync(path.join(hostsRoot, host, sub), { recursive: true });
    writeFileSync(path.join(hostsRoot, 'nas/run/failed-units'), 'restic-backups-photos.service\n');
    writeFileSync(path.join(hostsRoot, 'nas/var/log/journal/restic-backups-photos.service.log'), 'nas restic[2211]: Fatal: unable to open repository at /mnt/backup: no such file or directory\n');
    const original = JSON.parse(await readFile(path.join(repo.dir, 'steward.json'), 'utf8')) as Record<string, unknown>;
    const serve = { listen: '127.0.0.1:0', alertmanager: { auth: { type: 'bearer', tokenEnv: TOKEN_ENV } } };
    await writeFile(path.join(repo.dir, 'steward.json'), JSON.stringify({ ...original, nomad: { ...(original.nomad as object), address: sim.nomadUrl }, consul: { address: sim.consulUrl }, serve }));
    await repo.git.add('steward.json').then(() => repo.git.commit('point steward at the cluster; Alertmanager reaches steward serve'));
    const job = String(failing.wire.JobID);
    out(`The simulator's ${job} allocation ${String(failing.wire.ID).slice(0, 8)} now fails its checks; restic-backups-photos.service failed on nas.\n`);

    // A model only when credentials are at hand: otherwise rules-only triage, which says so.
    const llm = options.env.ANTHROPIC_API_KEY || options.env.CLAUDE_CODE_OAUTH_TOKEN ? 'auto' : 'off';
    const token = randomBytes(16).toString('hex');
    const ctx = createCliContext({ quiet: true }, { ...options.env, [TOKEN_ENV]: token });
    const loaded = await loadConfig(repo.dir);
    const stateFile = path.join(options.workdir, 'agent-state.db');
    // The notifier of `notify` with its real ledger (deduplication, one issue per incident); the
    // channels print what the webhook receiver and GitHub would get instead of sending it.
    const delivered: AgentDemoResult['delivered'] = [];
    const notifier = createChannelNotifier({ channels: printingChannels(delivered), ledger: new SqliteNotificationLedger(stateFile), redactor: ctx.redactor });
    const runtime = await startServeRuntime(ctx, { repoRoot: repo.dir, configFile: loaded.file, config: loaded.config, stateFile, host: '127.0.0.1', port: 0, workers: 1, notifier, hostsRoot, llm, pollMs: 50 });
    try {
      out(`\`steward serve\` listens on ${runtime.url} (${runtime.routes.join(', ')}), Alertmanager authenticated by a bearer token from ${TOKEN_ENV}.\n`);
      const post = async (payload: unknown) => {
        const response = await fetch(`${runtime.url}/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
        return `${response.status} ${JSON.stringify(await response.json())}`;
      };
      const firing = alertFor(job, String(failing.wire.ID), 'firing');
      out(`Alertmanager posts ${firing.alerts[0]!.labels.alertname} (firing) and is answered \`${await post(firing)}\`; it repeats the alert and is answered \`${await post(firing)}\`.\n`);
      await until(() => runtime.queue.jobs().some((j) => j.payload.kind === 'incident' && j.finishedAt !== null));
      const incidentJob = runtime.queue.jobs().find((j) => j.payload.kind === 'incident')!;
      out(`The queue ran it once: ${incidentJob.result?.summary ?? 'no result'}\n`);
      const record = lastSession(stateFile);
      out('The session printed:\n\n```text\n' + renderSessionText(record) + '\n```\n');
      for (const d of delivered) out(d.text);
      const resolved = alertFor(job, String(failing.wire.ID), 'resolved');
      out(`Alertmanager posts the resolution: \`${await post(resolved)}\`.\n`);
      await until(() => runtime.queue.jobs().every((j) => j.finishedAt !== null) && runtime.queue.jobs().some((j) => j.payload.kind === 'resolve'));
      for (const d of delivered.filter((x) => x.event === 'resolved')) out(d.text);
      return { record, delivered, jobs: runtime.queue.jobs() };
    } finally {
      await runtime.close();
    }
  } finally {
    await sim.close();
  }
}

/** A real Alertmanager v4 payload for the failing job's allocation (what a Nomad alert rule sends). */
function alertFor(job: string, allocId: string, status: 'firing' | 'resolved') {
  const startsAt = '2026-12-04T10:00:00.000Z';
  const alert = {
    status,
    labels: { alertname: 'NomadAllocationUnhealthy', exported_job: job, alloc_id: allocId, severity: 'warning', instance: 'node1:4646' },
    annotations: { summary: `${job} allocation ${allocId.slice(0, 8)} fails its health checks`, description: 'Consul reports the service check critical for 5 minutes.' },
    startsAt,
    endsAt: status === 'resolved' ? '2026-12-04T10:20:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=nomad_client_allocs_unhealthy%3E0',
    fingerprint: `${job}-unhealthy`.replace(/[^a-z0-9]/g, '').padEnd(16, '0').slice(0, 16),
  };
  return {
    version: '4',
    groupKey: `{}:{alertname="NomadAllocationUnhealthy", exported_job="${job}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'steward',
    groupLabels: { alertname: 'NomadAllocationUnhealthy', exported_job: job },
    commonLabels: alert.labels,
    commonAnnotations: alert.annotations,
    externalURL: 'http://alertmanager:9093',
    alerts: [alert],
  };
}

/** The generic webhook's JSON document and the GitHub issue, printed as they would arrive. */
function printingChannels(delivered: AgentDemoResult['delivered']): NotifyChannel[] {
  const webhookDoc = (event: string, doc: Record<string, unknown>) => JSON.stringify({ schema: 'steward.notification/v1', event, ...doc }, null, 2);
  const ofNotification = (n: Notification) => ({ key: n.key, kind: n.kind, severity: n.severity, title: n.title, body: n.body, links: n.links ?? [] });
  const webhook = (event: 'sent' | 'updated', n: Notification) => {
    delivered.push({ channel: 'webhook', event, text: `The notification (${n.kind}, key \`${n.key}\`, ${n.severity}), as the \`notify.webhook\` receiver gets it (HMAC-signed when \`notify.webhook.secretEnv\` is set):\n\n\`\`\`json\n${webhookDoc(event, ofNotification(n))}\n\`\`\`\n` });
    return Promise.resolve({});
  };
  let issues = 0;
  const issue = (event: 'sent' | 'updated', n: Notification, ref?: string | null) => {
    const number = ref ? Number(ref) : ++issues;
    const { title, body } = renderIssue(n);
    delivered.push({ channel: 'github-issue', event, text: `The GitHub issue #${number} (${event === 'sent' ? 'opened' : 'edited in place'}, labels \`steward\`):\n\n> **${title}**\n>\n${body.split('\n').map((l) => `> ${l}`).join('\n')}\n` });
    return Promise.resolve({ ref: String(number) });
  };
  return [
    { name: 'webhook', send: (n) => webhook('sent', n), update: (n) => webhook('updated', n), resolve: (previous, note) => (delivered.push({ channel: 'webhook', event: 'resolved', text: `The webhook receiver gets:\n\n\`\`\`json\n${webhookDoc('resolved', { key: previous.key, note })}\n\`\`\`\n` }), Promise.resolve({})) },
    {
      name: 'github-issue',
      send: (n) => issue('sent', n),
      update: (n, previous) => issue('updated', n, previous.ref),
      resolve: (previous, note) => (delivered.push({ channel: 'github-issue', event: 'resolved', text: `GitHub issue #${previous.ref} gets the comment "${note}" and is closed (completed).\n` }), Promise.resolve({})),
    },
  ];
}

function lastSession(stateFile: string): SessionRecord {
  const store = new SqliteSessionStore({ file: stateFile });
  try {
    const [record] = store.sessions({ limit: 1 });
    if (!record) throw new Error('the queue ran no session');
    return record;
  } finally {
    store.close();
  }
}

/** The demo waits for states of the queue (a session takes what it takes on a loaded machine). */
async function until(done: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('steward serve did not finish the demo incident in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
