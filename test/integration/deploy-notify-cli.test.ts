// `steward deploy` from CI, the real CLI: a change held as risky is announced once through `notify`
// (a local webhook stand-in), so is a failed deploy, and a rerun of the same commit announces
// nothing again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { injectFault } from '../helpers/fixture-hosts.js';
import { createLab, type Lab } from '../helpers/deploy-lab.js';
import { describeWithNix } from '../helpers/nix.js';
import { startReceiver } from '../serve/notify-receiver.js';

describeWithNix('steward deploy notifies', () => {
  let lab: Lab;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let held: string;
  let leaf: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    lab = await createLab();
    held = await lab.commit('postgres: moved off the cluster', [{ file: 'nomad/postgres.nomad', remove: true }]);
    leaf = await lab.commit('homepage', HOST_SCENARIOS.find((s) => s.id === 'leaf-service')!.edits);
  });
  afterAll(async () => {
    await lab?.close();
    await receiver?.close();
  });

  const config = () => ({ notify: { webhook: { url: `${receiver.url}/steward`, secretEnv: 'STEWARD_TEST_HOOK_SECRET' } } });
  const env = { STEWARD_TEST_HOOK_SECRET: 'test-hook-secret-123' };

  it('announces a held risky change once, with its deterministic key, and not again on a rerun', async () => {
    receiver.received.length = 0;
    await lab.reset(config());
    const first = await lab.deploy(held, { env });
    expect(first.exitCode, first.stderr).toBe(5);
    expect(receiver.received).toHaveLength(1);
    const body = receiver.received[0]!.body;
    expect(body).toContain(`held:${held}`);
    expect(body).not.toContain('test-hook-secret-123');
    expect(receiver.received[0]!.headers['x-steward-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);

    const again = await lab.deploy(held, { env });
    expect(again.exitCode, again.stderr).toBe(5);
    expect(receiver.received).toHaveLength(1);
  });

  it('announces a failed deploy once; the rerun (a known bad commit) announces nothing', async () => {
    receiver.received.length = 0;
    await lab.reset(config());
    injectFault(lab.host('node1'), 'switch.exit', '2');
    const failed = await lab.deploy(leaf, { env });
    expect(failed.exitCode, failed.stderr).toBe(6);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.body).toContain(`deploy-failed:${leaf}`);

    const again = await lab.deploy(leaf, { env });
    expect(again.exitCode).toBe(6);
    expect(receiver.received).toHaveLength(1);
  }, 180_000);
});
