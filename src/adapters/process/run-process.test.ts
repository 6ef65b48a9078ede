import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure, runProcess, runProcessBytes } from './run-process.js';

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('state not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('runProcess', () => {
  it('returns exit code, stdout and stderr of a process that ran', async () => {
    const result = await runProcess('sh', ['-c', 'printf out; printf err >&2; exit 3'], { timeoutMs: 30_000 });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err', timedOut: false, spawnError: null });
  });

  it('passes input on stdin and closes it', async () => {
    const result = await runProcess('cat', [], { timeoutMs: 30_000, input: 'hello' });
    expect(result.stdout).toBe('hello');
  });

  it('says a missing binary is missing instead of throwing', async () => {
    const result = await runProcess('steward-no-such-binary', [], { timeoutMs: 30_000 });
    expect(result.spawnError).toMatch(/ENOENT/);
    expect(describeFailure(result)).toMatch(/not installed/);
  });

  it('kills the whole process group at the deadline, grandchildren included', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-run-'));
    const pidFile = path.join(dir, 'grandchild.pid');
    // The grandchild ignores SIGTERM: only the group SIGKILL after the grace period ends it.
    const script = `sh -c 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 1; done' & wait`;
    const result = await runProcess('sh', ['-c', script], { timeoutMs: 1_000, killGraceMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(describeFailure(result, '1 s')).toMatch(/did not finish within 1 s/);
    await waitFor(() => existsSync(pidFile));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !pidAlive(grandchild));
  });

  it('kills the whole process group when its abort signal fires, long before the deadline', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-run-'));
    const pidFile = path.join(dir, 'child.pid');
    const controller = new AbortController();
    const running = runProcess('sh', ['-c', `sh -c 'echo $$ > ${pidFile}; while :; do sleep 1; done' & wait`], { timeoutMs: 600_000, killGraceMs: 200, signal: controller.signal });
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    controller.abort();
    const result = await running;
    expect(result.timedOut).toBe(true);
    await waitFor(() => !pidAlive(Number(readFileSync(pidFile, 'utf8'))));
  });

  it('keeps stdout as exact bytes, including bytes that are not UTF-8', async () => {
    const result = await runProcessBytes('printf', ['a\\377b\\000'], { timeoutMs: 30_000 });
    expect([...result.stdout]).toEqual([0x61, 0xff, 0x62, 0x00]);
  });
});
