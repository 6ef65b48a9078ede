// The agent's deploy actions against the real `steward deploy` (real Nix, fixture hosts, the
// simulator): nas deployed twice, then rolled back by the executor to its previous verified
// commit through `steward deploy --rollback-to` (dry run first), verified, and recorded; and a
// redeploy of main's head whose change is risky, held by the deploy's gate and never activated.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requestAction } from '../../src/agent/session/request-action.js';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { createCliContext } from '../../src/cli/context.js';
import { openStore } from '../../src/cli/deploy-wiring.js';
import { createDeployCommand } from '../../src/cli/session-deploy.js';
import { createLab, type Lab } from '../helpers/deploy-lab.js';
import { readlinkIn, switchLog } from '../helpers/fixture-hosts.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { describeWithNix } from '../helpers/nix.js';
import { sessionEnv } from '../helpers/session-env.js';

const restic = (tag: string, from = 'Nightly restic backup') => [{ file: 'hosts/nas/backup.nix', find: `description = "${from}";`, replace: `description = "Nightly restic backup (${tag})";` }];

describeWithNix('agent rollback-host through steward deploy', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab();
  }, 600_000);
  afterAll(() => lab?.close());

  it("rolls nas back to its last verified commit, and the host runs that commit's system again", async () => {
    await lab.reset();
    const example = JSON.parse(readFileSync(path.join(lab.repo.dir, 'steward.json'), 'utf8')) as { nomad: object; hosts: object };
    const config = { llm: { mode: 'off' }, nomad: { ...example.nomad, address: lab.sim.nomadUrl }, consul: { address: lab.sim.consulUrl }, agent: { autonomy: { 'rollback-host': 'act' } } };
    lab.configure(config);
    const a = await lab.commit('nas: backup A', restic('A'));
    const b = await lab.commit('nas: backup B', restic('B', 'Nightly restic backup (A)'), a);
    for (const sha of [a, b]) {
      const run = await lab.deploy(sha);
      expect(run.exitCode, run.stderr).toBe(0);
    }
    const runsB = readlinkIn(lab.host('nas'), 'run/current-system');

    const ctx = createCliContext({ quiet: true }, process.env);
    const deploy = createDeployCommand(ctx, { repoRoot: lab.repo.dir, configFile: path.join(lab.dir, 'steward.json'), stateFile: lab.stateFile, hostsRoot: lab.hostsDir, timeoutMs: 600_000 });
    const store = openStore(lab.stateFile);
    try {
      const env = sessionEnv({ hostsRoot: lab.hostsDir, hosts: ['nas', 'node1', 'node2', 'node3', 'desk'], config: { ...example, ...config }, overrides: { deploy, git: await openGitRepo(lab.repo.dir), deployHistory: (limit) => store.history({ limit }) } });
      const outcome = await requestAction(env, 's-e2e', { actionClass: 'rollback-host', target: 'nas', why: 'backups broke after B' });
      expect(outcome, outcome.detail).toMatchObject({ status: 'succeeded', escalate: false });
      expect(outcome.detail).toContain(`rolled nas back from ${b.slice(0, 12)} to its last good commit ${a.slice(0, 12)}`);
      const runsA = readlinkIn(lab.host('nas'), 'run/current-system');
      expect(runsA).not.toBe(runsB);
      // The deploy recorded it as a rollback of nas to A, and last good moved back.
      expect(store.history({ target: 'nas', limit: 1 })[0]).toMatchObject({ sha: a, to: runsA });
      expect(store.lastGood('host', 'nas')).toBe(a);
      expect(env.store.actions({ sessionId: 's-e2e' })).toMatchObject([{ actionClass: 'rollback-host', target: 'nas', status: 'succeeded' }]);
    } finally {
      store.close();
    }
  }, 900_000);

  it("re-runs the deploy of main's head through the gate: a risky head stays held, nothing activated", async () => {
    await lab.reset();
    const example = JSON.parse(readFileSync(path.join(lab.repo.dir, 'steward.json'), 'utf8')) as { nomad: object; hosts: object };
    const config = { llm: { mode: 'off' }, nomad: { ...example.nomad, address: lab.sim.nomadUrl }, consul: { address: lab.sim.consulUrl }, agent: { autonomy: { 'redeploy-head': 'act' } } };
    lab.configure(config);
    const risky = await lab.commit('nas: second ssh port', HOST_SCENARIOS.find((s) => s.id === 'sshd-port')!.edits);
    await lab.repo.git.raw(['branch', '-f', 'main', risky]);
    const ctx = createCliContext({ quiet: true }, process.env);
    const deploy = createDeployCommand(ctx, { repoRoot: lab.repo.dir, configFile: path.join(lab.dir, 'steward.json'), stateFile: lab.stateFile, hostsRoot: lab.hostsDir, timeoutMs: 600_000 });
    const env = sessionEnv({ hostsRoot: lab.hostsDir, hosts: ['nas', 'node1', 'node2', 'node3', 'desk'], config: { ...example, ...config }, overrides: { deploy, git: await openGitRepo(lab.repo.dir) } });
    const outcome = await requestAction(env, 's-e2e-2', { actionClass: 'redeploy-head', target: 'main', why: 'the last deploy hit a transient error' });
    expect(outcome, outcome.detail).toMatchObject({ status: 'refused', escalate: true });
    expect(outcome.detail).toMatch(new RegExp(`^held: the deploy's gate held ${risky.slice(0, 12)} for a person's approval`));
    expect(switchLog(lab.host('nas'))).toEqual([]);
  }, 900_000);
});
