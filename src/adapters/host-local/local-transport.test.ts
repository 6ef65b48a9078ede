import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShell } from './local-transport.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'steward-runshell-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('runShell', () => {
  it('returns output and exit code, with the script env on top of the base env', async () => {
    const result = await runShell('echo "$A $B"; echo err >&2; exit 3', { timeoutMs: 30_000, env: { B: 'b' } }, { PATH: process.env.PATH, A: 'a' });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'a b\n', stderr: 'err\n', timedOut: false });
  });

  it('kills the whole process group at the deadline, children included', async () => {
    const pidFile = path.join(dir, 'child.pid');
    // The background child keeps the pipes open: only a group kill ends the exchange.
    const result = await runShell(`sleep 600 & echo $! > ${pidFile}; wait`, { timeoutMs: 500 }, process.env);
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    const child = Number((await readFile(pidFile, 'utf8')).trim());
    await expect.poll(() => alive(child), { timeout: 10_000 }).toBe(false);
  });

  it('rejects when the command cannot start', async () => {
    await expect(runShell('', { timeoutMs: 5_000 }, process.env, ['/nonexistent/steward-no-such-binary'])).rejects.toThrow(/ENOENT/);
  });
});
