// One HTTP(S) exchange with a HashiCorp agent (Nomad or Consul), with TLS options and a deadline.
// Built on node:http/https rather than fetch: Node 20's fetch cannot take a CA file or a client
// certificate without undici's Agent, which Node does not expose without installing undici.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export interface TlsOptions {
  /** PEM file of the CA that signed the agent's certificate. */
  caFile?: string;
  /** Client certificate and key (PEM) when the agent verifies clients (`verify_https_client`). */
  certFile?: string;
  keyFile?: string;
  /** Accept any server certificate (like NOMAD_SKIP_VERIFY). */
  skipVerify?: boolean;
  /** Name to verify the certificate against (Nomad's certificates say `server.<region>.nomad`). */
  serverName?: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** Why an exchange produced no HTTP answer (connection refused, reset, timed out, TLS failure). */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Closes kept-alive sockets (blocking queries keep them open). */
  close(): void;
}

export function createTransport(tls: TlsOptions = {}): Transport {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
    cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
    key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
    rejectUnauthorized: !tls.skipVerify,
    servername: tls.serverName,
  });
  return {
    send: (request) => sendOnce(request, request.url.protocol === 'https:' ? httpsAgent : httpAgent),
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function sendOnce(request: HttpRequest, agent: http.Agent): Promise<HttpResponse> {
  const lib = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: TransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const req = lib.request(
      request.url,
      { method: request.method, headers: { ...request.headers, ...(request.body === undefined ? {} : { 'content-length': Buffer.byteLength(request.body).toString() }) }, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(new TransportError(describe(error), false)));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const headers: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(res.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    // A whole-exchange deadline: a socket timeout alone would let a slow trickle run forever.
    const timer = setTimeout(() => {
      fail(new TransportError(`timed out after ${request.timeoutMs} ms`, true));
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error) => fail(new TransportError(describe(error), false)));
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

function describe(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ECONNRESET') return 'connection reset';
  if (error.code === 'ENOTFOUND') return 'host not found';
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
