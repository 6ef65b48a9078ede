// Real Nix for integration tests. With STEWARD_REQUIRE_NIX=1 (CI) a missing Nix fails the suite;
// elsewhere the Nix suites are skipped with a loud notice.
import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { exampleNixConfig } from '../../src/demo/nix-environment.js';

process.env.NIX_CONFIG = exampleNixConfig(process.env.NIX_CONFIG);

function detectNix(): string | null {
  try {
    return execFileSync('nix', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export const NIX_VERSION = detectNix();

/** `describe` for suites that need real Nix. */
export function describeWithNix(name: string, body: () => void): void {
  if (NIX_VERSION) {
    describe(name, body);
    return;
  }
  if (process.env.STEWARD_REQUIRE_NIX === '1') {
    describe(name, () => {
      it('needs Nix', () => {
        throw new Error('STEWARD_REQUIRE_NIX=1 but `nix` is not installed: install it (apt-get install nix-bin) or unset STEWARD_REQUIRE_NIX');
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPED "${name}": Nix is not installed. Install it (apt-get install nix-bin) to run the build-level tests.\n`);
  describe.skip(name, body);
}
