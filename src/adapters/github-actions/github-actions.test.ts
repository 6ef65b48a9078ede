import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GithubConfig as GithubConfigSchema } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { Redactor } from '../../redact.js';
import { resolveGitHubSettings } from './action-inputs.js';
import { buildRunUrl, readActionsRunContext } from './event-context.js';
import { createActionsJobSummary, maskSecrets } from './job-summary.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'steward-actions-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createActionsJobSummary', () => {
  it('writes the step summary file through @actions/core, replacing the previous write', async () => {
    const file = path.join(dir, 'summary.md');
    await writeFile(file, 'stale\n');
    // @actions/core reads the path from the environment, as the runner sets it.
    process.env.GITHUB_STEP_SUMMARY = file;
    const summary = createActionsJobSummary();
    await summary.write('# first');
    await summary.write('# second');
    expect(await readFile(file, 'utf8')).toBe('# second\n');
  });
});

describe('maskSecrets', () => {
  it('masks every non-empty secret in the log and registers it with the redactor', () => {
    const masked: string[] = [];
    const redactor = new Redactor();
    expect(maskSecrets(['s3cret-value', undefined, ''], redactor, (v) => masked.push(v))).toBe(1);
    expect(masked).toEqual(['s3cret-value']);
    expect(redactor.redact('token s3cret-value')).toBe('token ***');
  });
});

describe('resolveGitHubSettings', () => {
  const config = GithubConfigSchema.parse({});

  it('prefers the action input, then steward.json, then the workflow environment', () => {
    const env = { GITHUB_TOKEN: 't0k3n-value', GITHUB_REPOSITORY: 'wf/repo', GITHUB_API_URL: 'https://ghe.test/api/v3' };
    expect(resolveGitHubSettings(config, env)).toEqual({ repository: 'wf/repo', apiUrl: 'https://ghe.test/api/v3', token: 't0k3n-value', tokenEnv: 'GITHUB_TOKEN' });
    expect(resolveGitHubSettings({ ...config, repository: 'cfg/repo' }, env).repository).toBe('cfg/repo');
    expect(resolveGitHubSettings({ ...config, repository: 'cfg/repo' }, { ...env, STEWARD_GITHUB_REPOSITORY: 'input/repo' }).repository).toBe('input/repo');
  });

  it('reads the token from the variable tokenEnv names and lists every missing piece at once', () => {
    const custom = { ...config, tokenEnv: 'MY_TOKEN' };
    expect(resolveGitHubSettings(custom, { MY_TOKEN: 'abcd1234', GITHUB_REPOSITORY: 'o/r' }).token).toBe('abcd1234');
    const error = (() => {
      try {
        resolveGitHubSettings(custom, { GITHUB_TOKEN: 'wrong-var' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(2);
  });
});

describe('readActionsRunContext', () => {
  it('reads the pull request from the event payload and builds the run URL', async () => {
    const event = path.join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ action: 'synchronize', pull_request: { number: 5, head: { sha: 'h'.repeat(40), repo: { full_name: 'fork/infra' } }, base: { sha: 'b'.repeat(40), ref: 'main' } } }));
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'homelab/infra', GITHUB_SHA: 'm'.repeat(40), GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '99' };
    const context = await readActionsRunContext(env);
    expect(context.pullRequest).toEqual({ number: 5, headSha: 'h'.repeat(40), baseSha: 'b'.repeat(40), baseRef: 'main', headRepo: 'fork/infra' });
    expect(context.runUrl).toBe('https://github.com/homelab/infra/actions/runs/99');
  });

  it('says what is missing outside GitHub Actions', async () => {
    await expect(readActionsRunContext({})).rejects.toBeInstanceOf(ConfigError);
    expect(buildRunUrl({})).toBeNull();
  });
});
