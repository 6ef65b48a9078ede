// Builds the Nomad client from steward.json's `nomad` section and the environment, with Nomad's
// own variables as fallbacks (NOMAD_ADDR, NOMAD_NAMESPACE, NOMAD_REGION, NOMAD_CACERT,
// NOMAD_CLIENT_CERT, NOMAD_CLIENT_KEY, NOMAD_SKIP_VERIFY, NOMAD_TLS_SERVER_NAME).
import type { StewardConfig } from '../../config/schema.js';
import type { Logger } from '../../ports/logger.js';
import type { Redactor } from '../../redact.js';
import { createNomadClient, type NomadClient } from './client.js';
import type { TlsOptions } from './transport.js';

export interface ClientDeps {
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  redactor?: Redactor;
}

/** The client, or undefined when no cluster is configured ("not planned: no cluster"). */
export function nomadClientFromConfig(config: StewardConfig['nomad'], deps: ClientDeps): NomadClient | undefined {
  const { env } = deps;
  const address = config.address ?? env.NOMAD_ADDR;
  if (!address) return undefined;
  return createNomadClient({
    address,
    token: env[config.tokenEnv] || undefined,
    namespace: config.namespace ?? (env.NOMAD_NAMESPACE || undefined),
    region: config.region ?? (env.NOMAD_REGION || undefined),
    tls: tlsFromEnv(env, 'NOMAD_CACERT', 'NOMAD_CLIENT_CERT', 'NOMAD_CLIENT_KEY', 'NOMAD_TLS_SERVER_NAME', isTrue(env.NOMAD_SKIP_VERIFY)),
    logger: deps.logger,
    redactor: deps.redactor,
  });
}

export function tlsFromEnv(env: NodeJS.ProcessEnv, ca: string, cert: string, key: string, serverName: string, skipVerify: boolean): TlsOptions {
  const tls: TlsOptions = {};
  if (env[ca]) tls.caFile = env[ca];
  if (env[cert]) tls.certFile = env[cert];
  if (env[key]) tls.keyFile = env[key];
  if (env[serverName]) tls.serverName = env[serverName];
  if (skipVerify) tls.skipVerify = true;
  return tls;
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|true|yes)$/i.test(value.trim());
}
