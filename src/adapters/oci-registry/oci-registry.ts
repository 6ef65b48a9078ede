// The OCI distribution API's tag list (`GET /v2/<name>/tags/list`), with the anonymous bearer
// token flow Docker Hub and GHCR answer a 401 with, and `Link` pagination.
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import type { ImageRegistryPort } from '../../ports/image-registry.js';
import { nextLink, parseBearerChallenge, type BearerChallenge } from './auth-challenge.js';
import { registryAddress } from './registry-address.js';

export interface OciRegistryOptions {
  /**
   * Base URL per registry host (`{ 'registry-1.docker.io': 'http://127.0.0.1:5000' }`): a mirror,
   * or the stand-in in tests. Other hosts are reached at `https://<host>`.
   */
  endpoints?: Record<string, string>;
  timeoutMs?: number;
  /** Pages followed at most: a registry that links in a circle must not loop forever. */
  maxPages?: number;
}

const TagList = z.object({ name: z.string(), tags: z.array(z.string()).nullable().default([]) });
// Docker Hub answers `token`, the distribution spec also allows `access_token`.
const TokenResponse = z.union([z.object({ token: z.string() }).transform((t) => t.token), z.object({ access_token: z.string() }).transform((t) => t.access_token)]);

export function createOciRegistry(options: OciRegistryOptions = {}): ImageRegistryPort {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const get = async (url: string, token: string | null) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (error) {
      throw new ApiError('registry', undefined, `GET ${url}: ${(error as Error).message}`);
    }
  };
  const fetchToken = async (challenge: BearerChallenge, name: string): Promise<string> => {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', challenge.scope ?? `repository:${name}:pull`);
    const response = await get(url.toString(), null);
    if (!response.ok) throw new ApiError('registry', response.status, `token for ${name}: ${response.status}`);
    return TokenResponse.parse(await response.json());
  };

  return {
    async listTags(repository) {
      const { host, name } = registryAddress(repository);
      const base = (options.endpoints?.[host] ?? `https://${host}`).replace(/\/$/, '');
      let url: string | null = `${base}/v2/${name}/tags/list`;
      let token: string | null = null;
      const tags: string[] = [];
      for (let page = 0; url && page < (options.maxPages ?? 50); page++) {
        let response = await get(url, token);
        if (response.status === 401 && token === null) {
          const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
          if (!challenge) throw new ApiError('registry', 401, `${repository}: authentication required (no bearer challenge)`);
          token = await fetchToken(challenge, name);
          response = await get(url, token);
        }
        if (!response.ok) throw new ApiError('registry', response.status, `${repository}: tags/list answered ${response.status}`);
        tags.push(...(TagList.parse(await response.json()).tags ?? []));
        const next = nextLink(response.headers.get('link'), url);
        // The token was issued for this registry: a next page elsewhere ends the listing instead.
        url = next && new URL(next).origin === new URL(url).origin ? next : null;
      }
      return tags;
    },
  };
}
