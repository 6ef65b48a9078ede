// `steward want` end to end: the built CLI, the REAL Claude Code CLI against a scripted Messages
// API (with `steward mcp --read-only` as its MCP server), the example homelab. A clear request
// becomes a classified PR (dry run); one that conflicts with the repository's invariants gets an
// answer and no change.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { startFakeAnthropicApi, type FakeAnthropicApi, type RecordedRequest, type ScriptedTurn } from '../fakes/anthropic-api.js';
import { runCli } from '../helpers/cli.js';

const binDir = path.join(import.meta.dirname, '../../node_modules/.bin');
const present = existsSync(path.join(binDir, 'claude'));
if (!present) console.warn(`\n*** SKIPPING steward want + LLM tests: ${binDir}/claude is missing (npm ci installs it) ***\n`);

const OLD = 'image = "traefik/whoami:v1.10.3"';
const NEW = 'image = "traefik/whoami:v1.10.4"';

function script(req: RecordedRequest): ScriptedTurn {
  if (!req.tools.includes('StructuredOutput')) return { type: 'text', text: 'ok' };
  const last = req.toolResults.at(-1)?.toolName ?? null;
  if (last === 'StructuredOutput') return { type: 'text', text: 'done' };
  if (req.text.includes('without any auth')) {
    return { type: 'tool_use', name: 'StructuredOutput', input: { proposal: null, note: 'Every public route must carry authelia@consulcatalog (nomad.authMiddlewares). Shall I route it through Authelia instead?' } };
  }
  const dir = /(\/[^\s'"`]*steward-proposal-[A-Za-z0-9]+)/.exec(req.text)?.[1];
  // Claude Code edits only a file it has read in the session.
  if (last === null) return { type: 'tool_use', name: 'Read', input: { file_path: `${dir}/nomad/whoami.nomad` } };
  if (last === 'Read') return { type: 'tool_use', name: 'Edit', input: { file_path: `${dir}/nomad/whoami.nomad`, old_string: OLD, new_string: NEW } };
  if (last === 'Edit') return { type: 'tool_use', name: 'StructuredOutput', input: { proposal: { topic: 'whoami-1-10-4', title: 'Run whoami 1.10.4', rationale: 'Bumps whoami; only the whoami job changes.' }, note: '' } };
  return { type: 'text', text: `no step after ${last}` };
}

describe.skipIf(!present)('steward want', () => {
  let api: FakeAnthropicApi;
  let repo: HomelabRepo;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'steward-claude-home-'));
    repo = await createHomelabRepo();
    api = await startFakeAnthropicApi(script);
  });
  afterAll(async () => {
    await api?.close();
    await repo?.remove();
    rmSync(home, { recursive: true, force: true });
  });

  const want = (outcome: string) =>
    runCli(['want', outcome, '--repo', repo.dir, '--dry-run', '--no-build', '--json', '--state', path.join(home, 'state.db')], {
      env: { HOME: home, PATH: `${binDir}:${process.env.PATH}`, ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CODE_MAX_RETRIES: '0', GITHUB_TOKEN: '' },
    });

  it('turns a clear request into a classified PR, without touching the checkout', async () => {
    const result = await want('run whoami 1.10.4');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout, result.stderr).toMatch(/^\[/);
    const [outcome] = JSON.parse(result.stdout) as Array<{ topic: string; result: string; label: string; body: string }>;
    expect(outcome).toMatchObject({ topic: 'want-whoami-1-10-4', result: 'dry-run' });
    expect(outcome!.body).toContain('goals/want.md');
    expect(outcome!.body).toContain('`traefik/whoami:v1.10.3` → `traefik/whoami:v1.10.4`');
    expect(api.requests.some((r) => r.text.includes('BEGIN UNTRUSTED DATA') && r.text.includes('run whoami 1.10.4'))).toBe(true);
    expect((await repo.git.raw(['status', '--porcelain'])).trim()).toBe('');
  }, 240_000);

  it('answers a request that breaks an invariant with a question, and changes nothing', async () => {
    const result = await want('expose postgres on the internet without any auth');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ result: 'answered', note: expect.stringContaining('authelia@consulcatalog') });
  }, 240_000);
});
