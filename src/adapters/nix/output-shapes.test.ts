import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closureOf, drvInstallable, parseBuildJson, parseNixVersion, parsePathInfoJson } from './output-shapes.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/nix-outputs/${name}`, import.meta.url), 'utf8');

describe('parseNixVersion', () => {
  it('reads Nix 2.8 as the legacy dialect', () => {
    expect(parseNixVersion('nix (Nix) 2.8.0\n')).toMatchObject({ implementation: 'nix', version: '2.8.0', dialect: 'legacy' });
  });
  it('reads current Nix as the modern dialect', () => {
    expect(parseNixVersion('nix (Nix) 2.24.10')).toMatchObject({ implementation: 'nix', major: 2, minor: 24, dialect: 'modern' });
  });
  it('recognises Lix', () => {
    expect(parseNixVersion('nix (Lix, like Nix) 2.91.1\nSystem type: x86_64-linux')).toMatchObject({ implementation: 'lix', version: '2.91.1', dialect: 'modern' });
  });
  it('returns null for something that is not nix', () => {
    expect(parseNixVersion('bash: nix: command not found')).toBeNull();
  });
});

describe('drvInstallable', () => {
  const drv = '/nix/store/ss2b3ih724y5f6qvjykbvdzsf6gfisbx-top-a.drv';
  it('builds a bare .drv path on Nix 2.8', () => {
    expect(drvInstallable(drv, parseNixVersion('nix (Nix) 2.8.0')!)).toBe(drv);
  });
  it('asks for every output with ^* on current Nix and Lix', () => {
    expect(drvInstallable(drv, parseNixVersion('nix (Nix) 2.18.1')!)).toBe(`${drv}^*`);
    expect(drvInstallable(drv, parseNixVersion('nix (Lix, like Nix) 2.91.1')!)).toBe(`${drv}^*`);
  });
});

describe('parseBuildJson', () => {
  it('matches results by drvPath whatever their order (2.8)', () => {
    const result = parseBuildJson(fixture('2.8-build.json'));
    expect(result['/nix/store/ankydvz0xh6v9mpqkjib3q718z8md3j7-top-bb.drv']?.out).toBe('/nix/store/2xi6vq7764kcr1q9n5ghdksvhwghlapa-top-bb');
  });
  it('accepts the timing fields of newer versions', () => {
    expect(Object.keys(parseBuildJson(fixture('2.24-build.json')))).toHaveLength(2);
  });
  it('treats the empty stdout of a failed 2.8 build as nothing built', () => {
    expect(parseBuildJson(fixture('2.8-build-failure.stdout'))).toEqual({});
  });
  it('treats partial JSON as nothing built', () => {
    expect(parseBuildJson('[{"drvPath":')).toEqual({});
  });
});

describe('parsePathInfoJson', () => {
  const root = '/nix/store/9k8nh7iqgcdid05mr7l1bv1b6x3n8lxb-nixos-system-nas-24.11';
  const openssl = '/nix/store/0rsfbcqlzmwbvjjcbcfmjhxi2dfpzfmj-openssl-3.0.14';
  it('reads the array of Nix 2.8 and Lix', () => {
    const graph = parsePathInfoJson(fixture('2.8-path-info.json'));
    expect(closureOf(root, graph)).toContain(openssl);
  });
  it('reads the object keyed by path of newer Nix, with base-name references', () => {
    const graph = parsePathInfoJson(fixture('2.24-path-info.json'));
    expect(closureOf(root, graph).sort()).toEqual(closureOf(root, parsePathInfoJson(fixture('2.8-path-info.json'))).sort());
  });
  it('computes a closure including the root and transitive references', () => {
    expect(closureOf(root, parsePathInfoJson(fixture('2.8-path-info.json')))).toHaveLength(4);
  });
});
