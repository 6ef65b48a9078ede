// `steward check` as systemd runs it on a host: outside any repository, with the steward.json of
// its working directory, fixture hosts, and rules-only triage (llm off in that file).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-session-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('steward check outside a repository', () => {
  it("reads the working directory's steward.json, exits 9 when it escalates, and keeps the record", async () => {
    for (const sub of ['run', 'var/log/journal']) mkdirSync(path.join(dir, 'hosts/nas', sub), { recursive: true });
    writeFileSync(path.join(dir, 'hosts/nas/run/failed-units'), 'grafana.service\n');
    writeFileSync(path.join(dir, 'steward.json'), JSON.stringify({ llm: { mode: 'off' } }));
    const result = await runCli(['check', '--hosts-root', 'hosts', '--state', 'state.db', '--json'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(10);
    const record = JSON.parse(result.stdout) as { mode: string; answer: { summary: string } };
    expect(record.mode).toBe('rules-only');
    expect(record.answer.summary).toMatch(/^Rules-only triage \(no model: llm is off\)\. 1 problem\(s\) found: grafana\.service failed on nas\./);
    const history = await runCli(['history', '--actions', '--state', 'state.db'], { cwd: dir });
    expect(history.stdout).toContain('restart-unit   observe  no record yet');
  });
});
