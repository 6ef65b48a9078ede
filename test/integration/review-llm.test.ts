// `steward review` with the LLM in the loop, end to end: the real CLI of Steward runs the real
// Claude Code CLI against a scripted Messages API on loopback. The LLM may escalate, never lower.
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyAnswer } from '../../src/agent/classify/answer-schema.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { ReviewReport } from '../../src/model/review.js';
import { startFakeAnthropicApi, type FakeAnthropicApi } from '../fakes/anthropic-api.js';
import { runCli } from '../helpers/cli.js';

const claude = path.join(import.meta.dirname, '../../node_modules/.bin/claude');
const present = existsSync(claude);
if (!present) console.warn(`\n*** SKIPPING review + LLM tests: ${claude} is missing (npm ci installs it) ***\n`);

const answer = (label: ClassifyAnswer['label'], file: string): ClassifyAnswer => ({
  label,
  confidence: 0.9,
  summary: `scripted: ${label}`,
  reasons: [{ label, message: `scripted reason (${label})`, evidence: [{ file }] }],
  blastRadius: { hosts: [], jobs: [], services: [], description: 'scripted' },
  deployPlan: { hostOrder: [], rebootStrategy: 'none', notes: '' },
  extraChecks: [],
});

describe.skipIf(!present)('steward review with Claude Code', () => {
  let repo: HomelabRepo;
  let api: FakeAnthropicApi;
  let scripted: ClassifyAnswer;
  let home: string;
  const scenario = (id: string) => HOST_SCENARIOS.find((s) => s.id === id)!;

  beforeAll(async () => {
    repo = await createHomelabRepo();
    home = await mkdtemp(path.join(os.tmpdir(), 'steward-llm-home-'));
    await writeFile(path.join(repo.dir, 'steward.json'), JSON.stringify({ llm: { command: claude, timeoutSeconds: 60 } }));
    await repo.git.add('steward.json').then(() => repo.git.commit('configure the LLM'));
    api = await startFakeAnthropicApi((req) =>
      req.toolResults.some((t) => t.toolName === 'StructuredOutput') ? { type: 'text', text: 'done' } : { type: 'tool_use', name: 'StructuredOutput', input: scripted },
    );
  });
  afterAll(async () => {
    await api?.close();
    await repo?.remove();
  });

  const review = async (head: string) => {
    const result = await runCli(['review', '--repo', repo.dir, '--head', head, '--no-build', '--json', '--no-cache'], {
      env: { HOME: home, ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CODE_MAX_RETRIES: '0' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    return ReviewReport.parse(JSON.parse(result.stdout));
  };

  it('lets the LLM escalate a clean change, and says it decided', async () => {
    const head = await repo.commit('homepage title', scenario('leaf-service').edits);
    scripted = answer('risky', 'modules/services/homepage.nix');
    const report = await review(head);
    expect(report.verdict.rules.label).toBe('clean');
    expect(report).toMatchObject({ label: 'risky', verdict: { decidedBy: 'llm', reviewed: true, llm: { status: 'answered', llmLabel: 'risky' } } });
    expect(report.verdict.llm?.prompt.estimatedTokens).toBeGreaterThan(0);
  });

  it('never lets the LLM lower the rules verdict', async () => {
    const head = await repo.commit('second ssh port', scenario('sshd-port').edits);
    scripted = answer('clean', 'hosts/nas/default.nix');
    const report = await review(head);
    expect(report).toMatchObject({ label: 'risky', verdict: { decidedBy: 'rules', reviewed: true, rules: { label: 'risky' }, llm: { llmLabel: 'clean', finalLabel: 'risky' } } });
  });
});
