// `steward demo`, part 3: the agent. A job's allocation fails its checks in the simulator and a
// leaf unit fails on a fixture host; a session gathers context and escalates, printed as the
// notification would arrive. Without a logged-in `claude` it is rules-only triage, and says so.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderSessionText } from '../agent/session/render-answer.js';
import { createCliContext } from '../cli/context.js';
import { buildSessionRunner } from '../cli/session-command.js';
import type { Notification, Notifier } from '../ports/notifier.js';
import type { SessionRecord } from '../ports/session-runner.js';
import { startSimulator } from '../sim/simulator.js';
import { createHomelabRepo } from './homelab-repo.js';

export interface AgentDemoOptions {
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  workdir: string;
}

export async function runAgentDemo(options: AgentDemoOptions): Promise<SessionRecord> {
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
    const config = JSON.parse(await readFile(path.join(repo.dir, 'steward.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(repo.dir, 'steward.json'), JSON.stringify({ ...config, nomad: { ...(config.nomad as object), address: sim.nomadUrl }, consul: { address: sim.consulUrl } }));
    await repo.git.add('steward.json').then(() => repo.git.commit('point steward at the cluster'));
    out(`The simulator's ${String(failing.wire.JobID)} allocation ${String(failing.wire.ID).slice(0, 8)} now fails its checks; restic-backups-photos.service failed on nas.\n`);

    const sent: Notification[] = [];
    const notifier: Notifier = { notify: async (n) => (sent.push(n), [{ channel: 'webhook', status: 'sent', detail: 'printed by the demo' }]), resolve: async () => [] };
    // A model only when credentials are at hand: otherwise rules-only triage, which says so.
    const llm = options.env.ANTHROPIC_API_KEY || options.env.CLAUDE_CODE_OAUTH_TOKEN ? 'auto' : 'off';
    const ctx = createCliContext({ quiet: true }, options.env);
    const { runner, close } = await buildSessionRunner(ctx, { repo: repo.dir, state: path.join(options.workdir, 'agent-state.db'), hostsRoot, llm }, notifier);
    try {
      const record = await runner.run({ kind: 'check' });
      out('`steward check` printed:\n\n```text\n' + renderSessionText(record) + '\n```\n');
      for (const n of sent) out(`The notification (${n.kind}, key \`${n.key}\`, ${n.severity}):\n\n> **${n.title}**\n>\n${n.body.split('\n').map((l) => `> ${l}`).join('\n')}\n`);
      return record;
    } finally {
      close();
    }
  } finally {
    await sim.close();
  }
}
