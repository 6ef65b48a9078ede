// Learning end to end: a knowledge suggestion the deploy diagnosis recorded in the state (an
// unknown failure a strategy resolved) becomes the knowledge PR on the GitHub double, its file the
// suggestion as the diagnosis parser reads it back; the next run leaves the PR alone.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDiagnosisStore } from '../../src/adapters/store-sqlite/diagnosis-store.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import type { DiagnosisDecision } from '../../src/model/deploy-failure.js';
import { lookupSignature, parseFailureMappings } from '../../src/stages/diagnose/knowledge-mappings.js';
import { suggestKnowledgeEntry } from '../../src/stages/diagnose/suggest-knowledge.js';
import { startGitHubDouble, type GitHubDouble } from '../fakes/github-api/server.js';
import { startRegistryStandIn, type RegistryStandIn } from '../fakes/oci-registry/server.js';
import { TOKEN } from '../github/fixtures.js';
import { runCli } from '../helpers/cli.js';

const resolved: DiagnosisDecision = {
  failure: { signature: 'switch.units-failed', step: 'activation', target: { kind: 'host', name: 'nas' }, summary: 'units failed on nas', evidence: [{ host: 'nas', unit: 'zfs-import-tank.service', signal: 'journal', detail: "Jun 03 02:14:07 nas zpool[812]: cannot import 'tank': pool is busy" }], dependsOn: [] },
  signature: 'switch.units-failed',
  proposed: 'retry-after-wait',
  chosenBy: 'llm',
  why: 'the pool was still busy from the scrub',
  knownSignature: false,
  strategy: 'retry-after-wait',
  outcome: 'verified',
  detail: 'retried after 60 s; verified',
};

describe('steward propose: knowledge learned from a deploy', () => {
  let repo: HomelabRepo;
  let double: GitHubDouble;
  let registry: RegistryStandIn;
  let stateDir: string;
  beforeAll(async () => {
    repo = await createHomelabRepo();
    double = await startGitHubDouble({ token: TOKEN });
    double.state.setBranch('main', double.state.commitFiles({ 'flake.nix': '{ }\n' }, null, 'init'));
    // No newer image tags: the knowledge PR is the only proposal.
    registry = await startRegistryStandIn({ repositories: { 'library/postgres': ['16.4'] }, pageSize: 2 });
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'steward-learned-state-'));
    const store = new SqliteDiagnosisStore({ file: path.join(stateDir, 'state.db') });
    const draft = suggestKnowledgeEntry(resolved, 'c'.repeat(40))!;
    store.suggestKnowledge({ sha: 'c'.repeat(40), signature: draft.signature, strategy: draft.strategy, body: draft.body });
    store.close();
  });
  afterAll(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
    await registry.close();
    await repo.remove();
    await rm(stateDir, { recursive: true, force: true });
  });

  const propose = () =>
    runCli(['propose', '--repo', repo.dir, '--no-build', '--llm', 'off', '--state', path.join(stateDir, 'state.db'), '--registry', `registry-1.docker.io=${registry.url}`, '--registry', `ghcr.io=${registry.url}`], {
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: double.state.fullName, STEWARD_GITHUB_API_URL: double.url, GITHUB_ACTIONS: '' },
    });

  it('opens one knowledge PR whose entry the diagnosis reads back, and leaves it alone on the next run', async () => {
    const first = await propose();
    expect(first.exitCode, first.stderr).toBe(0);
    const knowledge = double.state.pulls.filter((p) => p.headRef === 'steward/proposal/knowledge');
    expect(knowledge).toHaveLength(1);
    expect(knowledge[0]).toMatchObject({ title: 'Knowledge: nas-activation', state: 'open' });
    expect(knowledge[0]!.body).toContain('`nas-activation` (new)');
    const tree = double.state.trees.get(double.state.commits.get(double.state.branch(knowledge[0]!.headRef)!)!.tree)!;
    const file = '.steward/knowledge/nas-activation.md';
    const text = double.state.blobs.get(tree.get(file)!.sha)!.toString();
    const { mappings, problems } = parseFailureMappings([{ source: file, text }]);
    expect(problems).toEqual([]);
    expect(lookupSignature(resolved.failure, mappings, []).mapping).toMatchObject({ signature: 'repo.nas-activation', strategy: 'retry-after-wait' });
    const pulls = double.state.pulls.length;
    const second = await propose();
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain('unchanged');
    expect(double.state.pulls).toHaveLength(pulls);
  }, 240_000);
});
