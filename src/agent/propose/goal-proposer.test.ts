// The goal session's file tools stay off the repository's secrets: every `classify.secrets` glob
// becomes a deny rule for Read, Edit and Write, beside the built-in ones (git internals, the lock).
import { describe, expect, it } from 'vitest';
import type { ClaudePort } from '../../ports/claude.js';
import { silentLogger } from '../../ports/logger.js';
import type { ProposalWorktreePort } from '../../ports/proposal-worktree.js';
import { GOAL_DENIED, runGoalSession, secretDenyRules } from './goal-proposer.js';

describe('goal session permissions', () => {
  it('turns secret globs into deny rules relative to the worktree', () => {
    expect(secretDenyRules(['**/secrets/**', '.sops.yaml', './hosts/*.enc.json'])).toEqual([
      'Read(./**/secrets/**)', 'Edit(./**/secrets/**)', 'Write(./**/secrets/**)',
      'Read(./.sops.yaml)', 'Edit(./.sops.yaml)', 'Write(./.sops.yaml)',
      'Read(./hosts/*.enc.json)', 'Edit(./hosts/*.enc.json)', 'Write(./hosts/*.enc.json)',
    ]);
  });

  it('hands Claude Code the configured secret globs as denied, with the built-in denials', async () => {
    const asked: Array<{ disallowedTools?: string[] }> = [];
    const claude = { run: async (options: { disallowedTools?: string[] }) => (asked.push(options), { ok: false, reason: 'no-answer', detail: 'test', info: { permissionDenials: [] } }) } as unknown as ClaudePort;
    const worktrees = { captureIn: async (_base: string, change: (dir: string) => Promise<void>) => (await change('/nonexistent'), { edits: [], deleted: [] }) } as unknown as ProposalWorktreePort;
    await runGoalSession({ claude, worktrees, logger: silentLogger }, { base: 'HEAD', goal: 'g', maxTurns: 2, timeoutMs: 1_000, secretGlobs: ['**/*.enc.yaml'] });
    expect(asked[0]!.disallowedTools).toEqual([...GOAL_DENIED, 'Read(./**/*.enc.yaml)', 'Edit(./**/*.enc.yaml)', 'Write(./**/*.enc.yaml)']);
  });
});
