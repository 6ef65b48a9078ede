import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDeployStore } from './sqlite-store.js';
import { SqliteSessionStore } from './session-store.js';

describe('session store', () => {
  it('shares the state file with the deploy store, across two connections (steward mcp and the runner)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-session-store-'));
    try {
      const file = path.join(dir, 'state.db');
      const deploy = new SqliteDeployStore({ file });
      const runner = new SqliteSessionStore({ file });
      const mcp = new SqliteSessionStore({ file });
      expect(mcp.recordToolCall('s-1', 'host_status', true)).toBe(1);
      expect(mcp.recordToolCall('s-1', 'journal', false)).toBe(2);
      const id = mcp.recordAction({ sessionId: 's-1', actionClass: 'restart-unit', target: 'nas:a.service', why: 'x', status: 'running', detail: 'pre-flight' });
      mcp.updateAction(id, 'succeeded', 'restarted');
      expect(runner.toolCalls('s-1').map((c) => [c.seq, c.tool, c.ok])).toEqual([
        [1, 'host_status', true],
        [2, 'journal', false],
      ]);
      expect(runner.actions({ sessionId: 's-1' })).toMatchObject([{ id, status: 'succeeded', detail: 'restarted' }]);
      expect(runner.executedSince('restart-unit', new Date(Date.now() - 60_000))).toBe(1);
      expect(runner.executedSince('restart-unit', new Date(Date.now() + 60_000))).toBe(0);
      for (const s of [deploy, runner, mcp]) s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows an incident whose session has not finished', () => {
    const store = new SqliteSessionStore({ file: ':memory:' });
    store.markSessionStarted('s-1', 'group-a', new Date().toISOString());
    expect(store.openSessionFor('group-a', new Date(Date.now() - 60_000))).toBe('s-1');
    store.saveSession({ id: 's-1', trigger: { kind: 'incident', incidentKey: 'group-a', alerts: [{ status: 'firing', labels: {}, annotations: {}, startsAt: '', fingerprint: 'f' }] }, goal: 'incident', mode: 'rules-only', startedAt: '', finishedAt: new Date().toISOString(), answer: null, actions: [], escalated: false, notifications: [], stats: { contextTokens: 0, turns: null, toolCalls: 0, costUsd: null, durationMs: 0 } });
    expect(store.openSessionFor('group-a', new Date(Date.now() - 60_000))).toBeNull();
    expect(store.sessions({})).toHaveLength(1);
  });
});
