// The OCI tag-list adapter against the registry stand-in: the token flow, pagination, Docker
// Hub's `library/` names and errors.
import { afterEach, describe, expect, it } from 'vitest';
import { startRegistryStandIn, type RegistryStandIn } from '../../../test/fakes/oci-registry/server.js';
import { nextLink, parseBearerChallenge } from './auth-challenge.js';
import { createOciRegistry } from './oci-registry.js';
import { registryAddress } from './registry-address.js';

let registry: RegistryStandIn | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

const endpointsFor = (url: string) => ({ 'registry-1.docker.io': url, 'ghcr.io': url });

describe('createOciRegistry', () => {
  it('fetches a token on 401 and follows Link pages until the last', async () => {
    registry = await startRegistryStandIn({ repositories: { 'library/postgres': ['16.4', '16.5', '16.6', '17.0', 'latest'] }, pageSize: 2 });
    const tags = await createOciRegistry({ endpoints: endpointsFor(registry.url) }).listTags('postgres');
    expect(tags.sort()).toEqual(['16.4', '16.5', '16.6', '17.0', 'latest']);
    expect(registry.requests[0]).toEqual({ path: '/v2/library/postgres/tags/list', authorized: false });
    expect(registry.requests.slice(1).every((r) => r.authorized)).toBe(true);
    expect(registry.requests.filter((r) => r.path.includes('last='))).toHaveLength(2);
  });

  it('addresses GHCR repositories by their own host and full name', async () => {
    registry = await startRegistryStandIn({ repositories: { 'home-assistant/home-assistant': ['2024.9.1', '2024.10.0'] } });
    const tags = await createOciRegistry({ endpoints: endpointsFor(registry.url) }).listTags('ghcr.io/home-assistant/home-assistant');
    expect(tags).toEqual(['2024.10.0', '2024.9.1']);
  });

  it('reads an open registry without a token', async () => {
    registry = await startRegistryStandIn({ repositories: { 'library/redis': ['7.2'] }, requireToken: false });
    expect(await createOciRegistry({ endpoints: endpointsFor(registry.url) }).listTags('redis')).toEqual(['7.2']);
    expect(registry.requests).toHaveLength(1);
  });

  it('throws an ApiError for a repository the registry does not know', async () => {
    registry = await startRegistryStandIn({ repositories: {} });
    await expect(createOciRegistry({ endpoints: endpointsFor(registry.url) }).listTags('nope/nothing')).rejects.toMatchObject({ name: 'ApiError', status: 404 });
  });
});

describe('registry headers', () => {
  it('parses a Docker Hub challenge', () => {
    expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/postgres:pull"')).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/postgres:pull',
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeNull();
  });

  it('resolves a relative next link', () => {
    expect(nextLink('</v2/a/tags/list?n=2&last=b>; rel="next"', 'http://r:5000/v2/a/tags/list')).toBe('http://r:5000/v2/a/tags/list?n=2&last=b');
    expect(nextLink(null, 'http://r')).toBeNull();
  });

  it('maps Docker Hub official images under library/', () => {
    expect(registryAddress('postgres')).toEqual({ host: 'registry-1.docker.io', name: 'library/postgres' });
    expect(registryAddress('docker.io/grafana/grafana-oss')).toEqual({ host: 'registry-1.docker.io', name: 'grafana/grafana-oss' });
    expect(registryAddress('localhost:5000/app')).toEqual({ host: 'localhost:5000', name: 'app' });
  });
});
