// `steward sim`: addresses printed, both APIs served, clean stop on a signal, clear usage errors.
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../errors.js';
import { silentLogger } from '../../ports/logger.js';
import { registerSim, runSim } from './sim.js';

const addresses = (text: string) => Object.fromEntries([...text.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('steward sim', () => {
  it('prints the addresses to export, serves Nomad and Consul there, and stops when told', async () => {
    let out = '';
    let stop!: () => void;
    const running = runSim({ out: (t) => (out += t), logger: silentLogger }, { port: 0, consulPort: 0, scenario: 'healthy', host: '127.0.0.1', datacenter: 'dc1' }, new Promise<void>((resolve) => (stop = resolve)));
    await vi.waitFor(() => expect(out).toContain('CONSUL_HTTP_ADDR'));
    const { NOMAD_ADDR, CONSUL_HTTP_ADDR } = addresses(out);
    expect(await (await fetch(`${NOMAD_ADDR}/v1/status/leader`)).json()).toBe('10.0.0.11:4647');
    expect(await (await fetch(`${CONSUL_HTTP_ADDR}/v1/agent/members`)).json()).toHaveLength(6);
    stop();
    expect(await running).toBe(0);
    await expect(fetch(`${NOMAD_ADDR}/v1/status/leader`)).rejects.toThrow();
  });

  it('refuses an unknown scenario and a non-loopback address', async () => {
    const ctx = { out: () => {}, logger: silentLogger };
    await expect(runSim(ctx, { port: 0, consulPort: 0, scenario: 'chaos', host: '127.0.0.1', datacenter: 'dc1' }, Promise.resolve())).rejects.toBeInstanceOf(UsageError);
    await expect(runSim(ctx, { port: 0, consulPort: 0, scenario: 'healthy', host: '0.0.0.0', datacenter: 'dc1' }, Promise.resolve())).rejects.toThrow(/loopback/);
  });

  it('says which port is taken instead of failing obscurely', async () => {
    let out = '';
    let stop!: () => void;
    const first = runSim({ out: (t) => (out += t), logger: silentLogger }, { port: 0, consulPort: 0, scenario: 'empty', host: '127.0.0.1', datacenter: 'dc1' }, new Promise<void>((resolve) => (stop = resolve)));
    await vi.waitFor(() => expect(out).toContain('NOMAD_ADDR'));
    const taken = Number(new URL(addresses(out).NOMAD_ADDR!).port);
    const second = runSim({ out: () => {}, logger: silentLogger }, { port: taken, consulPort: 0, scenario: 'empty', host: '127.0.0.1', datacenter: 'dc1' }, Promise.resolve());
    await expect(second).rejects.toThrow(/already in use/);
    stop();
    await first;
  });

  it('runs from the command line until SIGTERM', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('steward').exitOverride();
    registerSim(program);
    const parsed = program.parseAsync(['sim', '--port', '0', '--consul-port', '0', '--scenario', 'no-leader'], { from: 'user' });
    await vi.waitFor(() => expect(out).toContain('NOMAD_ADDR'));
    const { NOMAD_ADDR } = addresses(out);
    expect(await (await fetch(`${NOMAD_ADDR}/v1/status/leader`)).json()).toBe('');
    process.emit('SIGTERM');
    await parsed;
    expect(process.exitCode).toBe(0);
  });
});
