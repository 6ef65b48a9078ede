// `steward deploy` (from CI) announces a held risky change and a failed deploy through `notify`,
// once: a rerun, or `steward serve` announcing the deploy its child already announced, sends nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announceDeploy } from '../../src/cli/deploy-notify.js';
import type { CliContext } from '../../src/cli/context.js';
import { createNotifier } from '../../src/cli/serve-wiring.js';
import { StewardConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { runServeJob, type ServeJobDeps } from '../../src/stages/serve/run-serve-job.js';
import { startReceiver } from './notify-receiver.js';

const HEAD = 'a'.repeat(40);
const report = '# Deploy held\n\n`web` changes a **critical** unit [click](javascript:x) <script>\n';

let dir: string;
let closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'steward-deploy-notify-'));
});
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
  rmSync(dir, { recursive: true, force: true });
});

async function setup(status = 200) {
  const webhook = await startReceiver(status);
  const ntfy = await startReceiver(status);
  closers.push(webhook.close, ntfy.close);
  const warnings: string[] = [];
  const redactor = new Redactor();
  const ctx: CliContext = { logger: { ...silentLogger, warn: (m) => warnings.push(m) }, redactor, out: () => {}, env: { HOOK_SECRET: 'hook-secret-value' } };
  const config = StewardConfig.parse({ notify: { webhook: { url: `${webhook.url}/hook`, secretEnv: 'HOOK_SECRET' }, ntfy: { url: `${ntfy.url}/steward` } } });
  return { webhook, ntfy, warnings, ctx, config, stateFile: path.join(dir, 'state.db') };
}

describe('steward deploy notifications', () => {
  it('announces a deploy held as risky once on each channel; a rerun sends nothing', async () => {
    const { webhook, ntfy, ctx, config, stateFile, warnings } = await setup();
    await announceDeploy(ctx, config, stateFile, { head: HEAD, exitCode: 5, markdown: report });
    expect(webhook.received).toHaveLength(1);
    expect(ntfy.received).toHaveLength(1);
    const document = JSON.parse(webhook.received[0]!.body);
    expect(JSON.stringify(document)).toContain(`held:${HEAD}`);
    expect(webhook.received[0]!.body).not.toContain('hook-secret-value');
    await announceDeploy(ctx, config, stateFile, { head: HEAD, exitCode: 5, markdown: report });
    expect(webhook.received).toHaveLength(1);
    expect(ntfy.received).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('announces a failed deploy once, even when the report of the rerun differs; a successful deploy announces nothing', async () => {
    const { webhook, ntfy, ctx, config, stateFile } = await setup();
    await announceDeploy(ctx, config, stateFile, { head: HEAD, exitCode: 0, markdown: '# Deployed\n' });
    expect(webhook.received).toHaveLength(0);
    await announceDeploy(ctx, config, stateFile, { head: HEAD, exitCode: 6, markdown: '# Deploy failed\n\ntook 41 s\n' });
    // A rerun fails again: its report differs (timings), the event does not.
    await announceDeploy(ctx, config, stateFile, { head: HEAD, exitCode: 6, markdown: '# Deploy failed\n\ntook 44 s\n' });
    expect(webhook.received).toHaveLength(1);
    expect(ntfy.received).toHaveLength(1);
    expect(webhook.received[0]!.body).toContain(`deploy-failed:${HEAD}`);
  });

  it('serve announcing the deploy its child `steward deploy` announced sends nothing more', async () => {
    const { webhook, ntfy, ctx, config, stateFile } = await setup();
    await announceDeploy(ctx, config, stateFile, { head: HEAD, exitCode: 6, markdown: report });
    // serve reads the child's stdout: the same report plus the newline `ctx.out` adds.
    const deps: ServeJobDeps = {
      sessions: { run: async () => { throw new Error('no sessions here'); } } as unknown as ServeJobDeps['sessions'],
      notifier: createNotifier(ctx, config, stateFile),
      commands: { run: async (step) => ({ exitCode: step.program === 'steward' ? 6 : 0, stdout: step.program === 'steward' ? `${report}\n` : '', stderr: '' }) },
      mainBranch: 'main',
    };
    const result = await runServeJob(deps, { payload: { kind: 'deploy', head: HEAD } } as unknown as Parameters<typeof runServeJob>[1], new AbortController().signal);
    expect(result.summary).toContain('webhook duplicate');
    expect(webhook.received).toHaveLength(1);
    expect(ntfy.received).toHaveLength(1);
  });

  it('a channel that fails is a warning, never an error', async () => {
    const { webhook, ctx, config, stateFile, warnings } = await setup(500);
    await expect(announceDeploy(ctx, config, stateFile, { head: HEAD, exitCode: 3, markdown: '# Build failed\n' })).resolves.toBeUndefined();
    expect(webhook.received).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/could not notify \(webhook\) of deploy-failed:a{40}/);
  });
});
