// `steward propose` end to end: the built CLI on the example homelab, the registry stand-in with a
// newer postgres tag, the GitHub double; the image-update PR is opened once, classified, and the
// second run leaves it alone.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { startGitHubDouble, type GitHubDouble } from '../fakes/github-api/server.js';
import { startRegistryStandIn, type RegistryStandIn } from '../fakes/oci-registry/server.js';
import { TOKEN } from '../github/fixtures.js';
import { runCli } from '../helpers/cli.js';

describe('steward propose', () => {
  let repo: HomelabRepo;
  let double: GitHubDouble;
  let registry: RegistryStandIn;
  let stateDir: string;
  beforeAll(async () => {
    repo = await createHomelabRepo();
    double = await startGitHubDouble({ token: TOKEN });
    double.state.setBranch('main', double.state.commitFiles({ 'flake.nix': '{ }\n' }, null, 'init'));
    registry = await startRegistryStandIn({ repositories: { 'library/postgres': ['16.3', '16.4', '16.6', '17.2', 'latest'] }, pageSize: 2 });
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'steward-propose-state-'));
  });
  afterAll(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
    await registry.close();
    await repo.remove();
    await rm(stateDir, { recursive: true, force: true });
  });

  const propose = (...extra: string[]) =>
    runCli(['propose', '--repo', repo.dir, '--no-build', '--llm', 'off', '--state', path.join(stateDir, 'state.db'), '--registry', `registry-1.docker.io=${registry.url}`, '--registry', `ghcr.io=${registry.url}`, ...extra], {
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: double.state.fullName, STEWARD_GITHUB_API_URL: double.url, GITHUB_ACTIONS: '' },
    });

  it('prints the PR it would open in a dry run, and writes nothing', async () => {
    const result = await propose('--dry-run');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('dry-run      image-postgres: Update postgres to 16.6');
    expect(result.stdout).toContain('| `postgres` | `16.4` | `16.6` | `nomad/backup-postgres.nomad`, `nomad/postgres.nomad` |');
    expect(double.state.pulls).toEqual([]);
  }, 300_000);

  it('opens the image-update PR once, with its classification, and leaves it alone on the next run', async () => {
    const first = await propose();
    expect(first.exitCode, first.stderr).toBe(0);
    const [pr, ...others] = double.state.pulls;
    expect(others).toEqual([]);
    expect(pr).toMatchObject({ headRef: 'steward/proposal/image-postgres', baseRef: 'main', title: 'Update postgres to 16.6', state: 'open' });
    expect(pr!.body).toMatch(/## Classification: /);
    expect(pr!.body).toContain('`postgres`');
    const tree = double.state.trees.get(double.state.commits.get(double.state.branch(pr!.headRef)!)!.tree)!;
    expect(double.state.blobs.get(tree.get('nomad/postgres.nomad')!.sha)!.toString()).toContain('image = "postgres:16.6"');
    const second = await propose();
    expect(second.stdout).toContain('unchanged');
    expect(double.state.pulls).toHaveLength(1);
    for (const output of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(output).not.toContain(TOKEN);
  }, 240_000);
});
