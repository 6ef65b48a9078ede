// flake.nix and the Nix files under nix/ parse (nixpkgs cannot be fetched here to build them).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithNix } from '../helpers/nix.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describeWithNix('the flake of Steward itself', () => {
  it.each(['flake.nix', 'nix/package.nix', 'nix/module.nix'])('%s parses', (file) => {
    expect(() => execFileSync('nix-instantiate', ['--parse', `${root}${file}`], { stdio: 'pipe' })).not.toThrow();
  });
  it('declares packages, apps, devShells and a NixOS module', () => {
    const text = execFileSync('nix-instantiate', ['--parse', `${root}flake.nix`], { encoding: 'utf8' });
    for (const output of ['packages', 'apps', 'devShells', 'nixosModules']) expect(text).toContain(output);
  });
});
