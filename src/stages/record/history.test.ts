import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import type { HistoryEntry } from '../../ports/deploy-store.js';
import { parseTimeArg, renderStateAt, stateAt } from './history.js';

const NOW = new Date('2025-03-10T12:00:00Z');
const entry = (target: string, sha: string, result: HistoryEntry['result'], at: string, action: HistoryEntry['action'] = 'switch'): HistoryEntry => ({ runId: 1, kind: 'host', target, sha: sha.repeat(40), result, action, from: null, to: `/nix/store/${'x'.repeat(32)}-nixos-system-${target}`, message: '', at });

describe('parseTimeArg', () => {
  it('reads ages, dates and times', () => {
    expect(parseTimeArg('3d', NOW).toISOString()).toBe('2025-03-07T12:00:00.000Z');
    expect(parseTimeArg('3 days ago', NOW).toISOString()).toBe('2025-03-07T12:00:00.000Z');
    expect(parseTimeArg('12h', NOW).toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(parseTimeArg('yesterday', NOW).toISOString()).toBe('2025-03-09T12:00:00.000Z');
    expect(parseTimeArg('2025-03-01', NOW).toISOString()).toBe('2025-03-01T23:59:59.999Z');
    expect(parseTimeArg('2025-03-01T08:00Z', NOW).toISOString()).toBe('2025-03-01T08:00:00.000Z');
    expect(() => parseTimeArg('last tuesday-ish', NOW)).toThrow(UsageError);
  });
});

describe('stateAt', () => {
  it('is the newest verified activation of each target; rollbacks change nothing', () => {
    const entries = [
      entry('nas', 'c', 'rolled-back', '2025-03-09T00:00:00Z'),
      entry('nas', 'b', 'deployed', '2025-03-08T00:00:00Z', 'boot'),
      entry('desk', 'a', 'verified', '2025-03-01T00:00:00Z'),
      entry('nas', 'a', 'verified', '2025-03-01T00:00:00Z'),
    ];
    expect(stateAt(entries).map((s) => `${s.target} ${s.sha.slice(0, 1)} ${s.result}`)).toEqual(['desk a verified', 'nas b deployed']);
    expect(renderStateAt(stateAt(entries), NOW)).toContain('(waiting for a reboot)');
  });

  it('shows a host rebooted into its waiting generation as verified, not waiting', () => {
    const entries = [entry('nas', 'b', 'verified', '2025-03-08T10:00:00Z', 'reboot'), entry('nas', 'b', 'deployed', '2025-03-08T00:00:00Z', 'boot'), entry('nas', 'a', 'verified', '2025-03-01T00:00:00Z')];
    expect(stateAt(entries)).toMatchObject([{ target: 'nas', sha: 'b'.repeat(40), result: 'verified', since: '2025-03-08T00:00:00Z' }]);
    expect(renderStateAt(stateAt(entries), NOW)).not.toContain('waiting for a reboot');
    // Before the reboot, the same history still says it waits.
    expect(stateAt(entries.slice(1))).toMatchObject([{ result: 'deployed' }]);
  });

  it('keeps waiting after a failed reboot, and falls back to the previous generation after a rolled-back one', () => {
    const boot = entry('nas', 'b', 'deployed', '2025-03-08T00:00:00Z', 'boot');
    const before = entry('nas', 'a', 'verified', '2025-03-01T00:00:00Z');
    expect(stateAt([entry('nas', 'b', 'failed', '2025-03-08T10:00:00Z', 'reboot'), boot, before])).toMatchObject([{ sha: 'b'.repeat(40), result: 'deployed' }]);
    expect(stateAt([entry('nas', 'b', 'rolled-back', '2025-03-08T10:00:00Z', 'reboot'), boot, before])).toMatchObject([{ sha: 'a'.repeat(40), result: 'verified' }]);
  });

  it('forgets a verified activation that a later rollback of the same commit undid (invariants failed after it)', () => {
    const entries = [entry('node1', 'b', 'rolled-back', '2025-03-09T00:01:00Z'), entry('node1', 'b', 'verified', '2025-03-09T00:00:00Z'), entry('node1', 'a', 'verified', '2025-03-01T00:00:00Z')];
    expect(stateAt(entries).map((s) => `${s.target} ${s.sha.slice(0, 1)}`)).toEqual(['node1 a']);
  });
});
