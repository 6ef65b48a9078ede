// Unit tests of the tolerant `git diff` reader.
import { describe, expect, it } from 'vitest';
import { STORAGE_PATCH } from '../../../test/fixtures/llm-classify.js';
import { hunkCovers, parseUnifiedDiff } from './parse-patch.js';

describe('parseUnifiedDiff', () => {
  it('reads files and hunk ranges from git output', () => {
    const files = parseUnifiedDiff(STORAGE_PATCH);
    expect(files.map((f) => f.path)).toEqual(['modules/storage.nix', 'flake.lock', 'README.md']);
    const storage = files[0];
    expect(storage?.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [9, 7, 9, 7],
      [30, 3, 30, 4],
    ]);
    expect(storage?.hunks[0]?.lines).toContain('+    options = [ "rw" "vers=4.2" "nconnect=4" ];');
  });

  it('keeps a removed line that starts with dashes inside its hunk', () => {
    const patch = ['diff --git a/q.sql b/q.sql', '--- a/q.sql', '+++ b/q.sql', '@@ -1,2 +1,1 @@', '--- a comment', ' select 1;', ''].join('\n');
    const files = parseUnifiedDiff(patch);
    expect(files).toHaveLength(1);
    expect(files[0]?.hunks[0]?.lines).toEqual(['--- a comment', ' select 1;']);
  });

  it('handles new, deleted, renamed and binary files', () => {
    const patch = [
      'diff --git a/new.nix b/new.nix',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.nix',
      '@@ -0,0 +1 @@',
      '+{ }',
      'diff --git a/gone.nix b/gone.nix',
      'deleted file mode 100644',
      '--- a/gone.nix',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-{ }',
      'diff --git a/old.nix b/moved.nix',
      'similarity index 100%',
      'rename from old.nix',
      'rename to moved.nix',
      'diff --git a/logo.png b/logo.png',
      'Binary files a/logo.png and b/logo.png differ',
    ].join('\n');
    const files = parseUnifiedDiff(patch);
    expect(files.map((f) => [f.path, f.oldPath, f.binary, f.hunks.length])).toEqual([
      ['new.nix', undefined, false, 1],
      ['gone.nix', undefined, false, 1],
      ['moved.nix', 'old.nix', false, 0],
      ['logo.png', undefined, true, 0],
    ]);
  });

  it('reads a plain unified diff without git headers', () => {
    const files = parseUnifiedDiff(['--- a/x.nix', '+++ b/x.nix', '@@ -1 +1 @@', '-a', '+b', '--- a/y.nix', '+++ b/y.nix', '@@ -3 +3 @@', '-c', '+d'].join('\n'));
    expect(files.map((f) => f.path)).toEqual(['x.nix', 'y.nix']);
  });

  it('returns nothing, without throwing, for text that is not a diff', () => {
    expect(parseUnifiedDiff('hello\n@@ nonsense')).toEqual([]);
  });
});

describe('hunkCovers', () => {
  it('matches lines on either side of a hunk', () => {
    const hunk = parseUnifiedDiff(STORAGE_PATCH)[0]?.hunks[1];
    if (!hunk) throw new Error('fixture changed');
    expect(hunkCovers(hunk, 33)).toBe(true);
    expect(hunkCovers(hunk, 34)).toBe(false);
    expect(hunkCovers(hunk, 29)).toBe(false);
  });
});
