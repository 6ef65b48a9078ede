// Which analysis level a review runs at, and the sentence that says why (the report's first
// line). Diff level needs nothing; evaluation level needs Nix; build level needs Nix and time.
import type { AnalysisLevel } from '../../../model/changeset.js';

export interface LevelChoice {
  level: AnalysisLevel;
  note: string;
}

export interface LevelInput {
  /** `--level`, when given (`--no-build` is `diff`). */
  requested?: AnalysisLevel;
  /** Without `--level`: `eval` for review, `build` for deploy (it needs the closures). */
  fallback: Exclude<AnalysisLevel, 'diff'>;
  /** Set when no flake.nix exists in the revision: the path looked for. */
  missingFlake?: string;
  nixPresent: boolean;
  noBuild?: boolean;
}

export function chooseLevel(input: LevelInput): LevelChoice {
  if (input.noBuild) return { level: 'diff', note: 'diff only: --no-build' };
  if (input.requested === 'diff') return { level: 'diff', note: 'diff only: --level diff' };
  if (input.missingFlake) {
    return { level: 'diff', note: `diff only: no ${input.missingFlake} in this revision (set nix.dir in steward.json to the folder holding the flake)` };
  }
  if (!input.nixPresent) {
    const wanted = input.requested ?? input.fallback;
    return { level: 'diff', note: `diff only: Nix not found (install Nix for ${wanted === 'eval' ? 'evaluation' : 'build'}-level analysis)` };
  }
  if (input.requested === 'build') return { level: 'build', note: 'build level: --level build (every changed toplevel built)' };
  if (input.requested === 'eval') return { level: 'eval', note: 'evaluation level: --level eval (evaluated, nothing built)' };
  return input.fallback === 'eval'
    ? { level: 'eval', note: 'evaluation level: the default where Nix is present (nothing built; --level build to build)' }
    : { level: 'build', note: 'build level: deploy builds what it activates' };
}
