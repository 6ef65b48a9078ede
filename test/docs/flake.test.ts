// flake.nix and the Nix files under nix/ parse (nixpkgs cannot be fetched here to build them).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  it('has a flake.lock that pins nixpkgs nixos-24.11 and that Nix accepts as the lock of flake.nix', () => {
    const lock = JSON.parse(readFileSync(`${root}flake.lock`, 'utf8')) as { nodes: Record<string, { locked?: Record<string, unknown>; original?: Record<string, unknown> }> };
    expect(lock.nodes.nixpkgs?.original).toEqual({ owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-24.11', type: 'github' });
    expect(lock.nodes.nixpkgs?.locked).toMatchObject({ type: 'github', rev: expect.stringMatching(/^[0-9a-f]{40}$/), narHash: expect.stringMatching(/^sha256-[A-Za-z0-9+/]{43}=$/) });
    // Offline: Nix checks the lock against flake.nix's inputs without fetching, and must not rewrite it.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-flake-lock-'));
    try {
      for (const file of ['flake.nix', 'flake.lock']) copyFileSync(`${root}${file}`, path.join(dir, file));
      execFileSync('nix', ['flake', 'lock', '--offline', '--no-update-lock-file', `path:${dir}`], { stdio: 'pipe' });
      expect(readFileSync(path.join(dir, 'flake.lock'), 'utf8')).toBe(readFileSync(`${root}flake.lock`, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
