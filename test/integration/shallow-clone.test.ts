// Shallow clones (actions/checkout's default `fetch-depth: 1`): a real `git clone --depth N` over
// file:// (so depth applies). Review and deploy stop with one line saying how to fix it, unless
// the clone holds every revision they need.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { createLab, type Lab } from '../helpers/deploy-lab.js';
import { runCli } from '../helpers/cli.js';
import { switchLog } from '../helpers/fixture-hosts.js';
import { TempGitRepo } from '../helpers/minimal-git-port.js';
import { describeWithNix } from '../helpers/nix.js';

const job = (name: string) => `job "${name}" {\n  datacenters = ["home"]\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = "traefik/whoami:v1.10.3"\n      }\n    }\n  }\n}\n`;
const SHALLOW_LINE = /shallow clone without .*fetch-depth: 0/;

function clone(source: string, depth: number, branch: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-shallow-'));
  execFileSync('git', ['clone', '-q', '--depth', String(depth), '--branch', branch, `file://${source}`, dir], { stdio: 'ignore' });
  return dir;
}

describe('review in a shallow clone', () => {
  let repo: TempGitRepo;
  const clones: string[] = [];
  beforeAll(() => {
    repo = new TempGitRepo();
    repo.commit({ 'nomad/web.nomad': job('web') }, 'web');
    repo.commit({ 'nomad/api.nomad': job('api') }, 'api: a new job');
  });
  afterAll(() => {
    repo.remove();
    for (const dir of clones) rmSync(dir, { recursive: true, force: true });
  });

  it('stops with one line that says how to fix it when head\'s parent was cut off (not "clean")', async () => {
    const dir = clone(repo.root, 1, 'main');
    clones.push(dir);
    const run = await runCli(['review', '--repo', dir, '--no-build', '--no-cache', '--json']);
    expect(run.exitCode, run.stdout).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(SHALLOW_LINE)]);
  });

  it('reviews normally when the clone holds what the comparison needs', async () => {
    const dir = clone(repo.root, 2, 'main');
    clones.push(dir);
    const run = await runCli(['review', '--repo', dir, '--no-build', '--no-cache', '--json']);
    expect(run.stderr).not.toMatch(/shallow/);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(run.stdout))).toMatch(/api/);
  });
});

describeWithNix('deploy in a shallow clone', () => {
  let lab: Lab;
  let shallow: string;
  beforeAll(async () => {
    lab = await createLab();
    const head = await lab.commit('homepage: rename the dashboard', HOST_SCENARIOS.find((s) => s.id === 'leaf-service')!.edits);
    await lab.repo.git.raw(['branch', '-f', 'shallow-test', head]);
    shallow = clone(lab.repo.dir, 1, 'shallow-test');
  });
  afterAll(async () => {
    await lab?.close();
    if (shallow) rmSync(shallow, { recursive: true, force: true });
  });

  it('stops before reviewing or recording anything: head is not recorded as deployed', async () => {
    await lab.reset();
    const args = ['--config', path.join(lab.dir, 'steward.json'), '--llm', 'off', '--state', lab.stateFile, '--hosts-root', lab.hostsDir, '--cache-dir', path.join(lab.dir, 'cache')];
    const run = await lab.cli(['deploy', '--repo', shallow, ...args, '--json']);
    expect(run.exitCode, run.stdout).toBe(2);
    expect(run.stderr).toMatch(SHALLOW_LINE);
    for (const host of ['node1', 'nas']) expect(switchLog(lab.host(host))).toEqual([]);
    const history = await lab.cli(['history', '--state', lab.stateFile, '--at', 'now', '--json']);
    expect(history.json).toMatchObject({ targets: [] });
  }, 300_000);
});
