// A goal proposal end to end with the REAL Claude Code CLI against a scripted Messages API: the
// scripted model edits a job file of the throwaway worktree with the Edit tool, tries to write
// outside it (refused), and answers; Steward turns the change into a proposal, builds nothing
// in the checkout, and the PR path opens it against the GitHub double.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeCli } from '../../src/adapters/claude-cli/claude-cli.js';
import { createProposalWorktrees } from '../../src/adapters/git-worktree/proposal-worktree.js';
import { SqliteProposalStore } from '../../src/adapters/store-sqlite/proposal-store.js';
import { planGoalProposal } from '../../src/agent/propose/goal-proposer.js';
import { runPropose } from '../../src/agent/propose/run-propose.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { Redactor } from '../../src/redact.js';
import { startFakeAnthropicApi, type FakeAnthropicApi, type RecordedRequest, type ScriptedTurn } from '../fakes/anthropic-api.js';
import { buildReport, capturingLogger, useSeededDouble, wire } from '../github/fixtures.js';

const binary = path.join(import.meta.dirname, '../../node_modules/.bin/claude');
const present = existsSync(binary);
if (!present) console.warn(`\n*** SKIPPING goal proposal + LLM tests: ${binary} is missing (npm ci installs it) ***\n`);

const OLD = 'image = "traefik/whoami:v1.10.3"';
const NEW = 'image = "traefik/whoami:v1.10.3" # pinned by the goal session';

describe.skipIf(!present)('goal proposals with Claude Code', () => {
  const ctx = useSeededDouble();
  let api: FakeAnthropicApi;
  let repo: HomelabRepo;
  let home: string;
  const outside = path.join(tmpdir(), `steward-outside-${process.pid}.txt`);

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'steward-claude-home-'));
    repo = await createHomelabRepo();
    api = await startFakeAnthropicApi((req: RecordedRequest): ScriptedTurn => {
      if (!req.tools.includes('StructuredOutput')) return { type: 'text', text: 'ok' };
      const last = req.toolResults.at(-1)?.toolName ?? null;
      // The worktree is the session's cwd; Claude Code names it in its system prompt.
      const dir = /(\/[^\s'"`]*steward-proposal-[A-Za-z0-9]+)/.exec(req.text)?.[1];
      if (last === null) return { type: 'tool_use', name: 'Read', input: { file_path: `${dir}/nomad/whoami.nomad` } };
      if (last === 'Read') return { type: 'tool_use', name: 'Edit', input: { file_path: `${dir}/nomad/whoami.nomad`, old_string: OLD, new_string: NEW } };
      if (last === 'Edit') return { type: 'tool_use', name: 'Write', input: { file_path: outside, content: 'escaped' } };
      if (last === 'Write') {
        return { type: 'tool_use', name: 'StructuredOutput', input: { proposal: { topic: 'whoami pin', title: 'Pin whoami\nnow', rationale: 'Pins the image.\n[click](javascript:alert(1)) @admins' }, note: '' } };
      }
      return { type: 'text', text: 'done' };
    });
  });
  afterAll(async () => {
    await api?.close();
    await repo?.remove();
    rmSync(home, { recursive: true, force: true });
    rmSync(outside, { force: true });
  });

  it('turns the file edits of the session into a proposal and opens it; writes outside the worktree are refused', async () => {
    const logger = capturingLogger(new Redactor());
    const claude = createClaudeCli({ command: binary, logger, env: { source: { PATH: process.env.PATH }, set: { HOME: home, ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CODE_MAX_RETRIES: '0' } } });
    const worktrees = createProposalWorktrees(repo.dir);
    const base = (await repo.git.revparse(['HEAD'])).trim();
    const proposal = await planGoalProposal({ claude, worktrees, logger }, { base, goal: readFileSync(path.join(import.meta.dirname, '../../goals/proactive.md'), 'utf8'), maxTurns: 8, timeoutMs: 120_000 });

    expect(proposal, logger.lines.join('\n')).not.toBeNull();
    expect(proposal!.topic).toBe('goal-whoami-pin');
    expect(proposal!.title).toBe('Pin whoami now');
    expect(proposal!.edits).toEqual([{ path: 'nomad/whoami.nomad', content: readFileSync(path.join(repo.dir, 'nomad/whoami.nomad'), 'utf8').replace(OLD, NEW) }]);
    expect(proposal!.rationale).toContain('\\[click\\]');
    expect(proposal!.rationale).not.toContain('[click](');
    expect(existsSync(outside)).toBe(false);
    expect(logger.lines).toContain('warn: goal session: refused Write');
    // The checkout itself is untouched.
    expect(readFileSync(path.join(repo.dir, 'nomad/whoami.nomad'), 'utf8')).toContain(OLD);
    expect(readFileSync(path.join(repo.dir, 'nomad/whoami.nomad'), 'utf8')).not.toContain(NEW);

    const store = new SqliteProposalStore({ file: ':memory:' });
    try {
      const { github } = wire(ctx.double);
      const [outcome] = await runPropose(
        { github, worktrees, store, review: async (b, head) => buildReport({ base: b, head, label: 'clean' }), logger, now: () => new Date('2025-03-01T12:00:00Z') },
        { baseBranch: 'main', localBase: base, identity: { name: 'Steward', email: 'steward@homelab.example' }, maxOpen: 5, maxNewPerDay: 5, dryRun: false },
        [proposal!],
      );
      expect(outcome).toMatchObject({ result: 'opened', topic: 'goal-whoami-pin' });
      const pr = ctx.double.state.pulls.find((p) => p.headRef === 'steward/proposal/goal-whoami-pin')!;
      expect(pr.body).toContain('In its words');
      expect(pr.body).not.toContain('[click](');
    } finally {
      store.close();
    }
  }, 300_000);
});
