// Where an image repository lives: the registry host and the repository name the OCI
// distribution API expects (Docker Hub's official images live under `library/`).

export interface RegistryAddress {
  /** `registry-1.docker.io`, `ghcr.io`, `registry.example:5000`. */
  host: string;
  /** The `<name>` of `/v2/<name>/tags/list`. */
  name: string;
}

const DOCKER_HUB = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', DOCKER_HUB]);

/** A first path part is a registry host when it looks like one (a dot, a port or `localhost`), as Docker decides. */
export function registryAddress(repository: string): RegistryAddress {
  const parts = repository.split('/');
  const first = parts[0] ?? '';
  const isHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = isHost ? first : DOCKER_HUB;
  const rest = isHost ? parts.slice(1) : parts;
  if (DOCKER_HUB_ALIASES.has(host)) {
    const name = rest.length === 1 ? `library/${rest[0]}` : rest.join('/');
    return { host: DOCKER_HUB, name };
  }
  return { host, name: rest.join('/') };
}
