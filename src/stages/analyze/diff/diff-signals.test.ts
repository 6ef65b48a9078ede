import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { isCosmeticChange, nixSignals, parsePatchLines } from './diff-signals.js';

const patch = `diff --git a/hosts/nas/default.nix b/hosts/nas/default.nix
index 1111111..2222222 100644
--- a/hosts/nas/default.nix
+++ b/hosts/nas/default.nix
@@ -1,5 +1,6 @@
 {
   services.openssh.enable = true;
-  networking.firewall.allowedTCPPorts = [ 5432 ];
+  networking.firewall.allowedTCPPorts = [ 5432 8080 ];
+  # a comment
   system.stateVersion = "24.11";
 }
`;
const base = '{\n  services.openssh.enable = true;\n  networking.firewall.allowedTCPPorts = [ 5432 ];\n  system.stateVersion = "24.11";\n}\n';
const head = '{\n  services.openssh.enable = true;\n  networking.firewall.allowedTCPPorts = [ 5432 8080 ];\n  # a comment\n  system.stateVersion = "24.11";\n}\n';

describe('parsePatchLines', () => {
  it('numbers removed lines on the base side and added lines on the head side', () => {
    expect(parsePatchLines(patch)).toEqual([
      { file: 'hosts/nas/default.nix', side: 'removed', line: 3, text: '  networking.firewall.allowedTCPPorts = [ 5432 ];' },
      { file: 'hosts/nas/default.nix', side: 'added', line: 3, text: '  networking.firewall.allowedTCPPorts = [ 5432 8080 ];' },
      { file: 'hosts/nas/default.nix', side: 'added', line: 4, text: '  # a comment' },
    ]);
  });
});

describe('nixSignals', () => {
  it('gives one signal per changed code line, with its option, and none for comments', () => {
    const signals = nixSignals('hosts/nas/default.nix', parsePatchLines(patch), { base, head }, ['nas']);
    expect(signals.map((s) => [s.side, s.line, s.option])).toEqual([
      ['removed', 3, 'networking.firewall.allowedTCPPorts'],
      ['added', 3, 'networking.firewall.allowedTCPPorts'],
    ]);
    expect(signals[0]?.hosts).toEqual(['nas']);
  });
});

describe('nixSignals outside every option (issue 10: never clean by default)', () => {
  const signalsOf = (baseText: string, headText: string) => {
    const diff = createTwoFilesPatch('a/m.nix', 'b/m.nix', baseText, headText);
    return nixSignals('m.nix', parsePatchLines(diff), { base: baseText, head: headText }, []).map((s) => [s.side, s.line, s.option]);
  };
  it('gives no signal for the module\'s argument names', () => {
    expect(signalsOf('{ pkgs, ... }:\n{\n  a.b = 1;\n}\n', '{ pkgs, lib, ... }:\n{\n  a.b = 1;\n}\n')).toEqual([]);
    expect(signalsOf('{ pkgs\n, ...\n}:\n{ a.b = 1; }\n', '{ pkgs\n, lib\n, ...\n}:\n{ a.b = 1; }\n')).toEqual([]);
  });
  it('gives no signal for a local variable nothing uses, and follows `inherit` in a let', () => {
    expect(signalsOf('let\n  x = 1;\nin {\n  a.b = 1;\n}\n', 'let\n  x = 2;\nin {\n  a.b = 1;\n}\n')).toEqual([]);
    expect(signalsOf('let\n  inherit (lib) mkA;\nin {\n  a.b = mkA 1;\n}\n', 'let\n  inherit (lib) mkB;\nin {\n  a.b = mkB 1;\n}\n')).toEqual([
      ['removed', 2, 'a.b'],
      ['added', 2, 'a.b'],
      ['removed', 4, 'a.b'],
      ['added', 4, 'a.b'],
    ]);
  });
  it('keeps code that no option explains as an unattributed signal', () => {
    const base = '{ lib, ... }:\nlib.mkMerge [\n  { a.b = 1; }\n]\n';
    const head = '{ lib, ... }:\nlib.mkMerge (f [\n  { a.b = 1; }\n])\n';
    expect(signalsOf(base, head)).toContainEqual(['added', 2, '']);
  });
});

describe('isCosmeticChange', () => {
  it('is true for comment-only edits of a Nix file', () => {
    expect(isCosmeticChange('a.nix', { base: '{ a = 1; }', head: '# why\n{ a = 1; } # ok' })).toBe(true);
  });
  it('is false when code changes, and for added or deleted files', () => {
    expect(isCosmeticChange('a.nix', { base: '{ a = 1; }', head: '{ a = 2; }' })).toBe(false);
    expect(isCosmeticChange('a.nix', { base: null, head: '{ }' })).toBe(false);
  });
});
