// `steward deploy` from CI, the real CLI: a change held as risky is announced once through `notify`
// (a local webhook stand-in), and a rerun of the same held commit announces nothing again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLab, type Lab } from '../helpers/deploy-lab.js';
import { describeWithNix } from '../helpers/nix.js';
import { startReceiver } from '../serve/notify-receiver.js';

describeWithNix('steward deploy notifies', () => {
  let lab: Lab;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let held: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    lab = await createLab();
    held = await lab.commit('postgres: moved off the cluster', [{ file: 'nomad/postgres.nomad', remove: true }]);
  });
  afterAll(async () => {
    await lab?.close();
    await receiver?.close();
  });

  it('announces a held risky change once, with its deterministic key, and not again on a rerun', async () => {
    await lab.reset({ notify: { webhook: { url: `${receiver.url}/steward`, secretEnv: 'STEWARD_TEST_HOOK_SECRET' } } });
    const env = { STEWARD_TEST_HOOK_SECRET: 'test-hook-secret-123' };
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
});
