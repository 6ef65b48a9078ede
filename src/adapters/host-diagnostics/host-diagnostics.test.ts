import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../redact.js';
import { createLocalTransport } from '../host-local/local-transport.js';
import { createHostDiagnostics } from './host-diagnostics.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('host diagnostics on a fixture host', () => {
  it('tells the running system from the booted one, and nothing for a host without them', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'steward-diag-'));
    dirs.push(root);
    for (const d of ['run', 'nix/store/aaa-nixos-system-nas', 'nix/store/bbb-nixos-system-nas']) mkdirSync(path.join(root, d), { recursive: true });
    const diagnostics = createHostDiagnostics(createLocalTransport({ host: 'nas', root }), new Redactor());
    expect(await diagnostics.system(10_000)).toEqual({ current: null, booted: null });
    symlinkSync(path.join(root, 'nix/store/bbb-nixos-system-nas'), path.join(root, 'run/current-system'));
    symlinkSync(path.join(root, 'nix/store/aaa-nixos-system-nas'), path.join(root, 'run/booted-system'));
    expect(await diagnostics.system(10_000)).toEqual({ current: path.join(root, 'nix/store/bbb-nixos-system-nas'), booted: path.join(root, 'nix/store/aaa-nixos-system-nas') });
  });
});
