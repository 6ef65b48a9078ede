// The `steward` CLI as a user runs it: help, exit codes, JSON on stdout and progress on stderr,
// clear errors for bad input.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { ReviewReport } from '../../src/model/review.js';
import { runCli } from '../helpers/cli.js';
import { describeWithNix } from '../helpers/nix.js';

describe('steward CLI basics', () => {
  it('prints help with every command and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.exitCode).toBe(0);
    for (const command of ['review', 'classify', 'doctor', 'demo', 'schema']) expect(result.stdout).toContain(command);
  });
  it('prints its version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
  });
  it('exits 2 on an unknown option', async () => {
    const result = await runCli(['review', '--bogus']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus'");
  });
  it('exits 2 with a clear message outside a git repository', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-nogit-'));
    const result = await runCli(['review', '--repo', dir, '--no-build']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not inside a git repository');
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });
});

describe('steward review through the CLI', () => {
  let repo: HomelabRepo;
  beforeAll(async () => {
    repo = await createHomelabRepo();
    for (const s of HOST_SCENARIOS.slice(0, 2)) await repo.commit(s.message, s.edits);
  });
  afterAll(() => repo.remove());

  it('prints one JSON document of the versioned schema, progress only on stderr', async () => {
    const result = await runCli(['review', '--repo', repo.dir, '--no-build', '--json']);
    expect(result.exitCode).toBe(0);
    const report = ReviewReport.parse(JSON.parse(result.stdout));
    expect(report).toMatchObject({ schema: 'steward.review/v1', level: 'diff', label: 'needs-reboot' });
    expect(result.stderr).toContain('reviewing');
  });
  it('prints a markdown report whose first line carries the label', async () => {
    const result = await runCli(['review', '--repo', repo.dir, '--no-build']);
    expect(result.stdout.split('\n')[0]).toBe('## Steward: 🟡 needs-reboot — diff only: --no-build');
    expect(result.stdout).toContain('diff only: --no-build');
  });
  it('classifies one commit against its first parent', async () => {
    const first = (await repo.git.raw(['rev-parse', 'HEAD~1'])).trim();
    const result = await runCli(['classify', '--commit', first, '--repo', repo.dir, '--no-build', '--json']);
    expect(ReviewReport.parse(JSON.parse(result.stdout)).label).toBe('clean');
  });
  it('exits 2 for an unknown revision', async () => {
    const result = await runCli(['review', '--repo', repo.dir, '--head', 'no-such-branch', '--no-build']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown revision 'no-such-branch'");
  });
  it('exits 2 listing every problem of an invalid steward.json, and reviews nothing', async () => {
    const config = path.join(repo.dir, 'bad-steward.json');
    await writeFile(config, '{\n  "hosts": { "nas": { "roles": ["nas"] } },\n  "classify": { "nixpkgsBumpHosts": 0 }\n}\n');
    const result = await runCli(['review', '--repo', repo.dir, '--config', config, '--no-build']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/bad-steward\.json:2:33: hosts\.nas\.roles\[0\]/);
    expect(result.stderr).toMatch(/bad-steward\.json:3:37: classify\.nixpkgsBumpHosts/);
  });
});

describeWithNix('steward review exit codes with Nix', () => {
  it('exits 3 when the head fails to evaluate, naming the host and file:line', async () => {
    const repo = await createHomelabRepo();
    try {
      await repo.commit('typo', [{ file: 'hosts/desk/default.nix', find: 'services.tailscale.enable = true;', replace: 'services.tailscale.enable = ture;' }]);
      const result = await runCli(['review', '--repo', repo.dir, '--cache-dir', path.join(repo.dir, '.cache')]);
      expect(result.exitCode).toBe(3);
      expect(result.stdout).toContain('build failed, nothing would be deployed');
      expect(result.stdout).toContain("undefined variable 'ture'");
      expect(result.stdout).toMatch(/host desk, `hosts\/desk\/default\.nix:\d+`/);
    } finally {
      await repo.remove();
    }
  });
});
