// A person's decision on a proposed action: approval runs it through policy and the executor,
// rejection closes it, nothing is decided twice; the class's track record counts both.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionEnv } from '../../../test/helpers/session-env.js';
import { summariseActions } from './action-history.js';
import { decideProposal } from './decide-proposal.js';
import { requestAction } from './request-action.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(config: unknown = { agent: { autonomy: { 'restart-unit': 'propose' } } }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'steward-decide-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'web1/run'), { recursive: true });
  writeFileSync(path.join(root, 'web1/run/failed-units'), 'app.service\nworker.service\n');
  return { root, env: sessionEnv({ hostsRoot: root, hosts: ['web1'], config }) };
}

describe('decisions on proposed actions', () => {
  it('runs an approved proposal through the executor, once', async () => {
    const { env, root } = setup();
    const proposed = await requestAction(env, 's-1', { actionClass: 'restart-unit', target: 'web1:app.service', why: 'crash loop' });
    expect(proposed.status).toBe('proposed');
    expect(readFileSync(path.join(root, 'web1/run/failed-units'), 'utf8')).toContain('app.service');
    expect(await decideProposal(env, proposed.id, 'approved')).toMatchObject({ ok: true, status: 'succeeded' });
    expect(readFileSync(path.join(root, 'web1/run/failed-units'), 'utf8')).toBe('worker.service\n');
    expect(await decideProposal(env, proposed.id, 'approved')).toMatchObject({ ok: false });
    expect(summariseActions(env.store.actions({}))['restart-unit']).toMatchObject({ proposed: 1, approved: 1, succeeded: 1 });
  });

  it('closes a rejected proposal without running it', async () => {
    const { env, root } = setup();
    const proposed = await requestAction(env, 's-1', { actionClass: 'restart-unit', target: 'web1:worker.service', why: 'x' });
    expect(await decideProposal(env, proposed.id, 'rejected')).toMatchObject({ ok: true, status: 'rejected' });
    expect(readFileSync(path.join(root, 'web1/run/failed-units'), 'utf8')).toContain('worker.service');
    expect(summariseActions(env.store.actions({}))['restart-unit']).toMatchObject({ proposed: 1, rejected: 1, succeeded: 0 });
  });

  it('checks policy again at approval: a unit made critical meanwhile is not restarted', async () => {
    const { env, root } = setup();
    const proposed = await requestAction(env, 's-1', { actionClass: 'restart-unit', target: 'web1:app.service', why: 'x' });
    const stricter = { ...env, config: { ...env.config, classify: { ...env.config.classify, extraCriticalUnits: ['app.service'] } } };
    expect(await decideProposal(stricter, proposed.id, 'approved')).toMatchObject({ ok: true, status: 'refused' });
    expect(readFileSync(path.join(root, 'web1/run/failed-units'), 'utf8')).toContain('app.service');
  });
});
