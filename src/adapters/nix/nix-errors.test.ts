import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractBuildErrors, extractEvalError } from './nix-errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/nix-outputs/${name}`, import.meta.url), 'utf8');

describe('extractEvalError', () => {
  it('gives the message and the repository file:line of a Nix 2.8 error', () => {
    const detail = extractEvalError(fixture('2.8-eval-undefined-variable.stderr'));
    expect(detail.lines[0]).toBe("error: undefined variable 'bogusVariable'");
    expect(detail).toMatchObject({ file: 'hosts/nas/default.nix', line: 34 });
    expect(detail.lines.join('\n')).toContain('at hosts/nas/default.nix:34:25:');
    expect(detail.lines.join('\n')).not.toContain('/nix/store');
  });
  it('skips the trace of newer Nix and keeps the innermost error and its location', () => {
    const detail = extractEvalError(fixture('2.24-eval-undefined-variable.stderr'));
    expect(detail.lines[0]?.trim()).toBe("error: undefined variable 'bogusVariable'");
    expect(detail).toMatchObject({ file: 'hosts/nas/default.nix', line: 34 });
    expect(detail.lines.some((l) => l.includes('while calling'))).toBe(false);
  });
  it('keeps a thrown option error without a location', () => {
    const detail = extractEvalError(fixture('2.8-eval-throw.stderr'));
    expect(detail.lines).toEqual(["error: The option `boot.kernelParms' does not exist. Did you mean `boot.kernelParams'?"]);
  });
  it('reads Lix errors the same way', () => {
    const detail = extractEvalError(fixture('lix-eval-throw.stderr'));
    expect(detail.lines[0]?.trim()).toBe("error: The option `boot.kernelParms' does not exist. Did you mean `boot.kernelParams'?");
  });
});

describe('extractBuildErrors', () => {
  it('keeps the failing builder with its log tail and the dependency lines (2.8)', () => {
    const { builderFailures, dependencyFailures } = extractBuildErrors(fixture('2.8-build-failure.stderr'));
    expect(builderFailures).toHaveLength(1);
    expect(builderFailures[0]?.join('\n')).toContain('wrapper.c:3: error: expected semicolon');
    expect(dependencyFailures.get('/nix/store/cz7ik1mx3ksvczgpmq45m7bvk1xzpn8y-nixos-system-nas-24.11.drv')).toContain('failed to build');
  });
  it('strips the colour codes newer versions print even when piped', () => {
    const { builderFailures, dependencyFailures } = extractBuildErrors(fixture('2.24-build-failure-colour.stderr'));
    expect(builderFailures[0]?.[0]).toBe("builder for '/nix/store/p2ngpbycszv9c45fnwxzzb09krjnm05k-restic-wrapper.drv' failed with exit code 1;");
    expect(dependencyFailures.size).toBe(1);
  });
});
