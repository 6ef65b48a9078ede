import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCluster, type DoctorContext } from './checks.js';

// A Nomad stand-in behind basic auth, as a reverse proxy in front of Nomad would be.
let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('user:s3cret-pw').toString('base64')}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '"10.0.0.1:4647"' : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function context(env: NodeJS.ProcessEnv): DoctorContext {
  return { env, repoDir: null, config: null, configProblem: null, configFile: null, probeTimeoutMs: 5000 };
}

describe('checkCluster', () => {
  it('never shows the credentials embedded in NOMAD_ADDR, and probes with them', async () => {
    const [nomad] = await checkCluster(context({ NOMAD_ADDR: `http://user:s3cret-pw@127.0.0.1:${port}` }));
    expect(nomad).toMatchObject({ name: 'nomad', status: 'ok' });
    expect(nomad!.detail).toContain(`http://***@127.0.0.1:${port}`);
    expect(JSON.stringify(nomad)).not.toMatch(/s3cret|user:/);
  });

  it('keeps them out of a failed probe too, and reports an invalid address instead of crashing', async () => {
    const [nomad, consul] = await checkCluster(context({ NOMAD_ADDR: 'http://user:s3cret-pw@127.0.0.1:1', CONSUL_HTTP_ADDR: 'not a url' }));
    expect(nomad).toMatchObject({ status: 'error' });
    expect(JSON.stringify(nomad)).not.toMatch(/s3cret|user:/);
    expect(consul).toMatchObject({ status: 'error' });
  });
});
