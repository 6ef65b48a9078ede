import { describe, expect, it } from 'vitest';
import { chooseLevel } from './choose-level.js';

describe('chooseLevel', () => {
  it('takes the fallback where Nix is present: eval for review, build for deploy', () => {
    expect(chooseLevel({ fallback: 'eval', nixPresent: true })).toMatchObject({ level: 'eval', note: expect.stringMatching(/^evaluation level: the default/) });
    expect(chooseLevel({ fallback: 'build', nixPresent: true })).toMatchObject({ level: 'build', note: 'build level: deploy builds what it activates' });
  });
  it('falls back to diff level without Nix or a flake, and says why', () => {
    expect(chooseLevel({ fallback: 'eval', nixPresent: false })).toEqual({ level: 'diff', note: 'diff only: Nix not found (install Nix for evaluation-level analysis)' });
    expect(chooseLevel({ requested: 'build', fallback: 'eval', nixPresent: true, missingFlake: 'nix/flake.nix' }).note).toContain('no nix/flake.nix');
  });
  it('obeys --level and --no-build', () => {
    expect(chooseLevel({ requested: 'build', fallback: 'eval', nixPresent: true }).level).toBe('build');
    expect(chooseLevel({ requested: 'diff', fallback: 'eval', nixPresent: true })).toEqual({ level: 'diff', note: 'diff only: --level diff' });
    expect(chooseLevel({ requested: 'build', fallback: 'eval', nixPresent: true, noBuild: true }).level).toBe('diff');
  });
});
