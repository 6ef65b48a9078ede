// The runner of GitHub work: Steward's own built CLI as a child process, in the repository, with
// the state file of `steward serve`, output redacted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../src/cli/context.js';
import { createCommandRunner } from '../../src/cli/serve-wiring.js';
import { CLI } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-serve-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createCommandRunner', () => {
  it('runs `steward <command>` in the repository and git there; a failing fetch is reported, not thrown', async () => {
    const repo = path.join(dir, 'repo');
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(path.join(repo, 'steward.json'), '{}');
    const ctx = createCliContext({ quiet: true }, { ...process.env, SECRET_FOR_TEST: 'hunter2-secret-value' });
    ctx.redactor.add('hunter2-secret-value');
    const runner = createCommandRunner(ctx, { repoRoot: repo, configFile: null, stateFile: path.join(dir, 'state.db'), timeoutMs: 60_000, cli: CLI });
    const doctor = await runner.run({ program: 'steward', args: ['doctor', '--json'], optional: false, okExit: [0] }, new AbortController().signal);
    expect([0, 8]).toContain(doctor.exitCode);
    expect(JSON.parse(doctor.stdout)).toBeTruthy();
    const fetch = await runner.run({ program: 'git', args: ['fetch', '--quiet', 'origin', 'main'], optional: true, okExit: [0] }, new AbortController().signal);
    expect(fetch.exitCode).not.toBe(0);
    expect(fetch.stderr).toMatch(/origin/);
    // git repeats the argument it did not understand: the secret in it is redacted.
    const echo = await runner.run({ program: 'git', args: ['log', 'hunter2-secret-value'], optional: true, okExit: [0] }, new AbortController().signal);
    expect(echo.stderr).toMatch(/ambiguous argument/);
    expect(`${echo.stdout}${echo.stderr}`).not.toContain('hunter2-secret-value');
  });
});
