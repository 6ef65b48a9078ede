// Reads a request body up to a size limit: a declared Content-Length over it is refused before a
// byte is read, a stream that grows past it is cut off.
import type { IncomingMessage } from 'node:http';

export type BodyResult = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        finish({ kind: 'too-large' });
        // Stop reading: the rest of an oversized body is not worth the bandwidth.
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('aborted', () => finish({ kind: 'aborted' }));
    req.on('error', () => finish({ kind: 'aborted' }));
  });
}
