// The demo's agent part (no Nix needed): a failing allocation and a failed unit; Alertmanager's
// webhook reaches the real `steward serve` listener, its queue runs one session that escalates,
// printed as the notification and the GitHub issue would arrive; rules-only without credentials.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgentDemo } from '../../src/demo/agent-demo.js';

describe('demo part 3: the agent', () => {
  it('takes the alert through steward serve, escalates with the evidence, rules-only, and prints the notification and the issue', async () => {
    const workdir = await mkdtemp(path.join(os.tmpdir(), 'steward-agent-demo-'));
    const printed: string[] = [];
    try {
      const env = { ...process.env };
      delete env.ANTHROPIC_API_KEY;
      delete env.CLAUDE_CODE_OAUTH_TOKEN;
      const { record, delivered, jobs } = await runAgentDemo({ out: (t) => printed.push(t), env, workdir });
      expect(record.mode).toBe('rules-only');
      expect(record.escalated).toBe(true);
      expect(record.trigger).toMatchObject({ kind: 'incident', alerts: [{ labels: { alertname: 'NomadAllocationUnhealthy', exported_job: 'grafana' } }] });
      // The repeated delivery was acknowledged and deduplicated: one session, then one resolution.
      expect(jobs.map((j) => [j.payload.kind, j.state])).toEqual([['incident', 'done'], ['resolve', 'done']]);
      expect(delivered.map((d) => `${d.channel} ${d.event}`)).toEqual(['webhook sent', 'github-issue sent', 'webhook resolved', 'github-issue resolved']);
      const text = printed.join('\n');
      console.log(text);
      expect(text).toMatch(/steward serve` listens on http:\/\/127\.0\.0\.1:\d+ \(\/healthz, \/alertmanager\)/);
      expect(text).toMatch(/answered `202 [^`]*`; it repeats the alert and is answered `202/);
      expect(text).toContain('Rules-only triage (no model: llm is off)');
      expect(text).toContain('restic-backups-photos.service failed on nas');
      expect(text).toContain('Alert NomadAllocationUnhealthy is firing');
      expect(text).toMatch(/Consul check\(s\) critical/);
      // A finished batch job (backup-postgres) is not a problem.
      expect(text).not.toContain('backup-postgres');
      expect(text).toMatch(/The notification \(escalation, key `incident:am-[0-9a-f]{16}-[0-9a-f]{8}`, (warning|critical)\)/);
      expect(text).toMatch(/The GitHub issue #1 \(opened, labels `steward`\):\n\n> \*\*\[steward\] /);
      expect(text).toContain('<!-- steward:notification key=incident:am-');
      expect(text).toMatch(/GitHub issue #1 gets the comment .* and is closed \(completed\)/);
    } finally {
      await rm(workdir, { recursive: true, force: true });
    }
  }, 300_000);
});
