// The HTTP transport's TLS options (CA file, client certificate, skip-verify) against a real TLS server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../errors.js';
import { createNomadClient } from './client.js';

// Real TLS on loopback: a throwaway CA, a server certificate for 127.0.0.1 and a client
// certificate, made with the system's openssl; an https server stands in for a Nomad agent.
let openssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  openssl = false;
  console.warn('\n*** SKIPPED: TLS transport tests need the openssl command ***\n');
}

describe.skipIf(!openssl)('Nomad client over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-tls-'));
  const file = (name: string) => join(dir, name);
  const servers: https.Server[] = [];
  let plainUrl = '';
  let mutualUrl = '';

  beforeAll(async () => {
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const key = (name: string) => run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', name);
    key('ca.key');
    run('req', '-x509', '-new', '-key', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=steward-test-ca');
    writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:server.global.nomad\n');
    for (const [name, subject, ext] of [
      ['server', '/CN=server.global.nomad', 'server.ext'],
      ['client', '/CN=cli.global.nomad', undefined],
    ] as const) {
      key(`${name}.key`);
      run('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', ...(ext ? ['-extfile', ext] : []));
    }
    const start = async (requireClientCert: boolean) => {
      const server = https.createServer(
        { key: readFileSync(file('server.key')), cert: readFileSync(file('server.crt')), ca: readFileSync(file('ca.crt')), requestCert: requireClientCert, rejectUnauthorized: requireClientCert },
        (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('"10.0.0.11:4647"'),
      );
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    plainUrl = await start(false);
    mutualUrl = await start(true);
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const leader = async (address: string, tls: Parameters<typeof createNomadClient>[0]['tls']) => {
    const client = createNomadClient({ address, tls, retries: 0, timeoutMs: 3_000 });
    try {
      return await client.leader();
    } finally {
      client.close();
    }
  };

  it('verifies the agent against the given CA file', async () => {
    expect(await leader(plainUrl, { caFile: file('ca.crt') })).toBe('10.0.0.11:4647');
  });

  it('refuses an agent whose certificate it cannot verify', async () => {
    const error = await leader(plainUrl, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ service: 'nomad', status: undefined });
    expect((error as Error).message).toMatch(/certificate/i);
  });

  it('accepts any certificate with skipVerify', async () => {
    expect(await leader(plainUrl, { skipVerify: true })).toBe('10.0.0.11:4647');
  });

  it('presents a client certificate to an agent that verifies clients', async () => {
    expect(await leader(mutualUrl, { caFile: file('ca.crt'), certFile: file('client.crt'), keyFile: file('client.key') })).toBe('10.0.0.11:4647');
    await expect(leader(mutualUrl, { caFile: file('ca.crt') })).rejects.toBeInstanceOf(ApiError);
  });
});
