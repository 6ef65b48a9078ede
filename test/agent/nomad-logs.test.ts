// The `nomad_alloc_logs` tool through the MCP server against the simulator's
// `/v1/client/fs/logs/:alloc_id`: an allocation's recent stderr and stdout, resolved within the
// job, only the last bytes asked of Nomad, cut to the tool output size, and redacted.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createNomadClient } from '../../src/adapters/nomad-http/client.js';
import { createStewardMcpServer } from '../../src/agent/mcp/server.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { sessionEnv } from '../helpers/session-env.js';

const open: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function setup(agent: Record<string, unknown> = {}) {
  const sim = await startSimulator({ scenario: 'unhealthy-alloc' });
  const nomad = createNomadClient({ address: sim.nomadUrl, retries: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'steward-nomad-logs-'));
  open.push(() => sim.close(), () => nomad.close(), () => rmSync(root, { recursive: true, force: true }));
  const env = sessionEnv({ hostsRoot: root, hosts: [], config: { agent }, overrides: { nomad } });
  const server = createStewardMcpServer(env, { sessionId: 's-logs', readOnly: true });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(clientSide);
  open.push(() => client.close());
  const call = async (args: Record<string, unknown>) => {
    const result = (await client.callTool({ name: 'nomad_alloc_logs', arguments: args })) as { content: Array<{ text: string }>; isError?: boolean };
    return { text: result.content.map((c) => c.text).join(''), isError: result.isError === true };
  };
  const alloc = sim.control.state.liveAllocs('whoami')[0]!;
  const id = String(alloc.wire.ID);
  const task = Object.keys(alloc.wire.TaskStates as Record<string, unknown>)[0]!;
  return { sim, env, call, client, id, task };
}

describe('nomad_alloc_logs', () => {
  it("answers an allocation's recent stderr by default, and stdout when asked, per task", async () => {
    const { sim, call, id, task } = await setup();
    sim.control.writeTaskLog(id, task, 'stderr', 'listening on :80\npanic: dial tcp 10.0.0.5:5432: connect: connection refused\n');
    sim.control.writeTaskLog(id, task, 'stdout', 'GET / 200\n');
    const stderr = await call({ job: 'whoami', alloc: id.slice(0, 8) });
    expect(stderr.isError).toBe(false);
    expect(stderr.text).toMatch(new RegExp(`^allocation ${id.slice(0, 8)} \\(whoami\\.[a-z]+\\[\\d\\]\\) on `));
    expect(stderr.text).toContain(`## ${task} stderr (last lines)\nlistening on :80\npanic: dial tcp 10.0.0.5:5432: connect: connection refused`);
    const stdout = await call({ job: 'whoami', alloc: id.slice(0, 8), type: 'stdout', task });
    expect(stdout.text).toContain(`## ${task} stdout (last lines)\nGET / 200`);
    // Nomad was asked for the end of the log only, as text, not followed.
    const asked = sim.control.requests.all({ path: /^\/v1\/client\/fs\/logs\// });
    expect(asked.map((e) => new URLSearchParams(e.query).get('origin'))).toEqual(['end', 'end']);
    expect(asked.every((e) => new URLSearchParams(e.query).get('plain') === 'true' && new URLSearchParams(e.query).get('follow') === 'false')).toBe(true);
  });

  it('keeps only the last bytes, cut to the tool output size, and redacts secrets', async () => {
    const { sim, env, call, id, task } = await setup({ toolOutputChars: 2000 });
    env.redactor.add('hunter2-db-password');
    const noise = Array.from({ length: 2000 }, (_, i) => `line ${i} of a chatty task\n`).join('');
    sim.control.writeTaskLog(id, task, 'stderr', `${noise}FATAL: password authentication failed (password=hunter2-db-password)\n`);
    const { text } = await call({ job: 'whoami', alloc: id });
    expect(text.length).toBeLessThanOrEqual(2000 + 60);
    expect(text).not.toContain('line 0 of a chatty task');
    expect(text).not.toContain('hunter2-db-password');
  });

  it("names allocations by short ids the model can use (a whole UUID would reach it redacted as ***)", async () => {
    const { sim, client, id, task } = await setup();
    sim.control.writeTaskLog(id, task, 'stderr', 'boom\n');
    const status = (await client.callTool({ name: 'nomad_job_status', arguments: { job: 'whoami' } })) as { content: Array<{ text: string }> };
    const allocations = (JSON.parse(status.content[0]!.text) as { allocations: Array<{ id: string }> }).allocations;
    expect(allocations.map((a) => a.id)).toContain(id.slice(0, 8));
    expect(status.content[0]!.text).not.toContain('***');
    const logs = (await client.callTool({ name: 'nomad_alloc_logs', arguments: { job: 'whoami', alloc: id.slice(0, 8) } })) as { content: Array<{ text: string }> };
    expect(logs.content[0]!.text).toContain('boom');
  });

  it('refuses an allocation of another job, a malformed id, and a task the allocation does not have', async () => {
    const { sim, call, id } = await setup();
    const other = [...sim.control.state.allocs.values()].find((a) => a.wire.JobID !== 'whoami');
    if (other) expect(await call({ job: 'whoami', alloc: String(other.wire.ID) })).toMatchObject({ isError: true, text: expect.stringContaining('no allocation') });
    expect((await call({ job: 'whoami', alloc: '../../etc' })).isError).toBe(true);
    expect(await call({ job: 'whoami', alloc: id, task: 'nope' })).toMatchObject({ isError: true, text: expect.stringContaining('unknown task name') });
  });
});
