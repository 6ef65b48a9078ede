// Unit tests of hunk selection: order by signal strength, budget trimming, lock and secret files.
import { describe, expect, it } from 'vitest';
import { storageChange, STORAGE_PATCH } from '../../../test/fixtures/llm-classify.js';
import { parseUnifiedDiff } from './parse-patch.js';
import { estimateTokens, renderHunk, selectHunks } from './select-hunks.js';

const SECRET_PATCH = `diff --git a/secrets/nas.age b/secrets/nas.age
--- a/secrets/nas.age
+++ b/secrets/nas.age
@@ -1 +1 @@
-age-encryption.org/v1 OLDCIPHERTEXT
+age-encryption.org/v1 NEWCIPHERTEXT
`;

describe('selectHunks', () => {
  it('puts the hunk a rule cites first and summarises the lock file', () => {
    const { changeSet, rules } = storageChange();
    const selection = selectHunks(parseUnifiedDiff(STORAGE_PATCH), changeSet.repo, rules, 5_000);
    expect(selection.included[0]?.hunk.header).toMatch(/^@@ -9,7 \+9,7 @@/);
    expect(selection.included[0]?.why).toEqual(['rule nixos.mount-options (needs-reboot)', 'option fileSystems."/mnt/media".options']);
    expect(selection.included.at(-1)?.file).toBe('README.md');
    expect(selection.summarised).toEqual([{ path: 'flake.lock', why: 'lock', additions: 1, deletions: 1 }]);
    expect(selection.included.map(renderHunk).join('\n')).not.toContain('LOCKFILE-CONTENT');
  });

  it('never includes a secret file, even when the patch contains it', () => {
    const { changeSet, rules } = storageChange();
    const repo = { ...changeSet.repo, secrets: ['secrets/nas.age'] };
    const selection = selectHunks(parseUnifiedDiff(STORAGE_PATCH + SECRET_PATCH), repo, rules, 5_000);
    expect(selection.secretFiles).toEqual(['secrets/nas.age']);
    expect(JSON.stringify(selection)).not.toContain('CIPHERTEXT');
  });

  it('drops the weakest hunks first when the budget is small', () => {
    const { changeSet, rules } = storageChange();
    const files = parseUnifiedDiff(STORAGE_PATCH);
    const first = selectHunks(files, changeSet.repo, rules, 5_000).included[0];
    if (!first) throw new Error('no hunk');
    const budget = estimateTokens(`${renderHunk(first)}\n\n`) + 5;
    const selection = selectHunks(files, changeSet.repo, rules, budget);
    expect(selection.included.map((h) => h.hunk.header.slice(0, 14))).toEqual(['@@ -9,7 +9,7 @']);
    expect(selection.omitted.map((h) => h.file)).toEqual(['modules/storage.nix', 'README.md']);
  });

  it('truncates a hunk that alone would eat most of the budget', () => {
    const { changeSet, rules } = storageChange();
    const big = ['diff --git a/big.nix b/big.nix', '--- a/big.nix', '+++ b/big.nix', '@@ -1,0 +1,400 @@', ...Array.from({ length: 400 }, (_, i) => `+  option${i} = "${'x'.repeat(40)}";`)].join('\n');
    const repo = { ...changeSet.repo, files: [...changeSet.repo.files, { path: 'big.nix', status: 'modified' as const, kind: 'nix' as const, additions: 400, deletions: 0, hosts: [], cosmetic: false }] };
    const selection = selectHunks(parseUnifiedDiff(big), repo, rules, 2_000);
    const hunk = selection.included[0];
    expect(hunk?.hunk.lines.at(-1)).toMatch(/^… \d+ more lines of this hunk not shown$/);
    expect(estimateTokens(renderHunk(hunk ?? selection.omitted[0]!))).toBeLessThanOrEqual(2_000 * 0.4 + 20);
  });

  it('returns nothing to include for a zero budget', () => {
    const { changeSet, rules } = storageChange();
    const selection = selectHunks(parseUnifiedDiff(STORAGE_PATCH), changeSet.repo, rules, 0);
    expect(selection.included).toEqual([]);
    expect(selection.omitted).toHaveLength(3);
  });
});
