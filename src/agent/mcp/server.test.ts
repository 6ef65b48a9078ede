// `steward mcp` in process, through a real MCP client: the tool list, the tool-call budget, output
// truncation and redaction, read-only sessions, unknown tools, and actions through policy.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionEnv } from '../../../test/helpers/session-env.js';
import { createStewardMcpServer } from './server.js';
import { ACTION_TOOLS, READ_TOOLS } from './tool-names.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function connect(options: { config?: unknown; readOnly?: boolean; journal?: string } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'steward-mcp-'));
  dirs.push(root);
  for (const sub of ['run', 'var/log/journal']) mkdirSync(path.join(root, 'web1', sub), { recursive: true });
  writeFileSync(path.join(root, 'web1/run/failed-units'), 'app.service\n');
  writeFileSync(path.join(root, 'web1/var/log/journal/app.service.log'), options.journal ?? 'app[1]: error: boom\n');
  const env = sessionEnv({ hostsRoot: root, hosts: ['web1'], config: options.config });
  const server = createStewardMcpServer(env, { sessionId: 's-test', readOnly: options.readOnly ?? false });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(clientSide);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = (await client.callTool({ name, arguments: args })) as { content: Array<{ text: string }>; isError?: boolean };
    return { text: result.content.map((c) => c.text).join(''), isError: result.isError === true };
  };
  return { client, call, env, root };
}

describe('steward mcp', () => {
  it('offers exactly the read-only and action tools, and no shell', async () => {
    const { client } = await connect();
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual([...READ_TOOLS, ...ACTION_TOOLS].sort());
  });

  it('refuses a tool it does not have', async () => {
    const { call } = await connect();
    const result = await call('shell', { command: 'id' });
    expect(result.isError).toBe(true);
  });

  it('refuses every call once the session spent its tool-call budget, and counts it', async () => {
    const { call, env } = await connect({ config: { agent: { maxToolCalls: 2 } } });
    const first = await call('host_status');
    expect(first.isError).toBe(false);
    expect(JSON.parse(first.text)).toEqual([{ host: 'web1', failedUnits: ['app.service'], currentSystem: null, bootedSystem: null, rebootPending: false }]);
    expect((await call('host_status')).isError).toBe(false);
    const third = await call('journal', { host: 'web1', unit: 'app.service' });
    expect(third).toMatchObject({ isError: true });
    expect(third.text).toMatch(/budget of 2 tool calls is spent/);
    expect(env.store.toolCalls('s-test').map((c) => [c.tool, c.ok])).toEqual([
      ['host_status', true],
      ['host_status', true],
      ['journal', false],
    ]);
  });

  it('cuts long tool output to the cap and redacts secrets in it', async () => {
    const long = `${'x'.repeat(3000)}\ntoken ghp_${'a'.repeat(36)}\n${'y'.repeat(3000)}\n`;
    const { call } = await connect({ config: { agent: { toolOutputChars: 1000 } }, journal: `ghp_${'a'.repeat(36)} leaked\n${long}` });
    const result = await call('journal', { host: 'web1', unit: 'app.service', lines: 200 });
    expect(result.text).toContain('[… truncated at 1000 characters]');
    expect(result.text.length).toBeLessThan(1100);
    expect(result.text).not.toContain('ghp_aaaa');
  });

  it('gives a read-only session (ask) no action', async () => {
    const { call, root } = await connect({ readOnly: true, config: { agent: { autonomy: { 'restart-unit': 'act' } } } });
    const result = await call('restart_unit', { host: 'web1', unit: 'app.service', why: 'asked' });
    expect(result.text).toMatch(/^refused: this session is read-only/);
    expect(existsSync(path.join(root, 'web1/var/log/restarts.log'))).toBe(false);
  });

  it('records a restart at observe as reported, not done', async () => {
    const { call, env } = await connect();
    const result = JSON.parse((await call('restart_unit', { host: 'web1', unit: 'app.service', why: 'crash' })).text) as { status: string; detail: string };
    expect(result).toMatchObject({ status: 'refused', detail: 'autonomy of restart-unit is observe: reported, not done' });
    expect(env.store.actions({ sessionId: 's-test' })).toMatchObject([{ actionClass: 'restart-unit', target: 'web1:app.service', status: 'refused' }]);
  });

  it('rejects a unit name that could reach a shell', async () => {
    const { call } = await connect({ config: { agent: { autonomy: { 'restart-unit': 'act' } } } });
    const result = JSON.parse((await call('restart_unit', { host: 'web1', unit: 'app.service; reboot', why: 'x' })).text) as { status: string; detail: string };
    expect(result).toMatchObject({ status: 'refused' });
    expect(result.detail).toMatch(/^invalid/);
  });
});
