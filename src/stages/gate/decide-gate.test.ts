import { describe, expect, it } from 'vitest';
import { decideGate } from './decide-gate.js';

describe('decideGate', () => {
  it('deploys nothing after a failed build or static validation, whatever the label', () => {
    expect(decideGate({ outcomes: ['reviewed', 'build-failed'], label: 'clean', approved: true })).toMatchObject({ kind: 'blocked', outcome: 'build-failed' });
    expect(decideGate({ outcomes: ['validation-failed'], label: 'risky', approved: true })).toMatchObject({ kind: 'blocked', outcome: 'validation-failed' });
  });

  it('holds a risky change until a human approved exactly this commit', () => {
    expect(decideGate({ outcomes: ['reviewed'], label: 'risky', approved: false, approvalNote: 'rejected in #4' })).toEqual({ kind: 'held', note: 'risky: held until a human approves this commit (rejected in #4)' });
    expect(decideGate({ outcomes: ['reviewed'], label: 'risky', approved: true })).toMatchObject({ kind: 'deploy' });
  });

  it('deploys clean and needs-reboot changes', () => {
    expect(decideGate({ outcomes: ['reviewed'], label: 'clean', approved: false })).toMatchObject({ kind: 'deploy', note: 'clean: deploying' });
    expect(decideGate({ outcomes: ['reviewed'], label: 'needs-reboot', approved: false }).note).toMatch(/reboot per policy/);
  });
});
