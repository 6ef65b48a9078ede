// Builds the Consul client from steward.json's `consul` section and the environment, with
// Consul's own variables as fallbacks (CONSUL_HTTP_ADDR, CONSUL_CACERT, CONSUL_CLIENT_CERT,
// CONSUL_CLIENT_KEY, CONSUL_TLS_SERVER_NAME, CONSUL_HTTP_SSL_VERIFY=false).
import type { StewardConfig } from '../../config/schema.js';
import { isTrue, tlsFromEnv, type ClientDeps } from '../nomad-http/from-config.js';
import { createConsulClient, type ConsulClient } from './client.js';

/** The client, or undefined when no Consul is configured. */
export function consulClientFromConfig(config: StewardConfig['consul'], deps: ClientDeps): ConsulClient | undefined {
  const { env } = deps;
  let address = config.address ?? env.CONSUL_HTTP_ADDR;
  if (!address) return undefined;
  // CONSUL_HTTP_ADDR may be a bare host:port; CONSUL_HTTP_SSL says which scheme then.
  if (!/^https?:\/\//.test(address)) address = `${isTrue(env.CONSUL_HTTP_SSL) ? 'https' : 'http'}://${address}`;
  const skipVerify = env.CONSUL_HTTP_SSL_VERIFY !== undefined && !isTrue(env.CONSUL_HTTP_SSL_VERIFY);
  return createConsulClient({
    address,
    token: env[config.tokenEnv] || undefined,
    tls: tlsFromEnv(env, 'CONSUL_CACERT', 'CONSUL_CLIENT_CERT', 'CONSUL_CLIENT_KEY', 'CONSUL_TLS_SERVER_NAME', skipVerify),
    logger: deps.logger,
    redactor: deps.redactor,
  });
}
