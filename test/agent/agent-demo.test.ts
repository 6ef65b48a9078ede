// The demo's agent part (no Nix needed): a failing allocation and a failed unit, a session that
// escalates, printed as the notification would arrive; rules-only without credentials.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgentDemo } from '../../src/demo/agent-demo.js';

describe('demo part 3: the agent', () => {
  it('escalates with the evidence, rules-only, and prints the notification', async () => {
    const workdir = await mkdtemp(path.join(os.tmpdir(), 'steward-agent-demo-'));
    const printed: string[] = [];
    try {
      const env = { ...process.env };
      delete env.ANTHROPIC_API_KEY;
      delete env.CLAUDE_CODE_OAUTH_TOKEN;
      const record = await runAgentDemo({ out: (t) => printed.push(t), env, workdir });
      expect(record.mode).toBe('rules-only');
      expect(record.escalated).toBe(true);
      const text = printed.join('\n');
      console.log(text);
      expect(text).toContain('Rules-only triage (no model: llm is off)');
      expect(text).toContain('restic-backups-photos.service failed on nas');
      expect(text).toMatch(/Consul check\(s\) critical/);
      // A finished batch job (backup-postgres) is not a problem.
      expect(text).not.toContain('backup-postgres');
      expect(text).toMatch(/The notification \(escalation, key `check:[0-9a-f]{16}`, warning\)/);
    } finally {
      await rm(workdir, { recursive: true, force: true });
    }
  }, 60_000);
});
