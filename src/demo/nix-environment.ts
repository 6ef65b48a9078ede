// Nix settings for running the bundled example on a machine with a plain distribution Nix and no
// daemon (TESTING.md): flakes on, no binary cache to wait for, no build users or sandbox needed.
// Only the demo and tests use this; Steward itself uses whatever Nix the user configured.
import { execFileSync } from 'node:child_process';

export function exampleNixConfig(existing: string | undefined): string {
  const settings = ['experimental-features = nix-command flakes', 'substituters =', 'sandbox = false', 'flake-registry =', 'warn-dirty = false'];
  // As root without the nixbld group (a distribution package, no daemon), builds must run as root.
  if (process.getuid?.() === 0 && !groupExists('nixbld')) settings.push('build-users-group =');
  return [existing ?? '', ...settings].filter(Boolean).join('\n');
}

function groupExists(name: string): boolean {
  try {
    execFileSync('getent', ['group', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
