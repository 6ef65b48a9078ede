// Secrets are named by an environment variable; under systemd they arrive as credentials
// (LoadCredential=NAME:…), read from $CREDENTIALS_DIRECTORY/NAME when the variable is unset.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function readSecret(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[name];
  if (fromEnv) return fromEnv;
  const dir = env.CREDENTIALS_DIRECTORY;
  if (!dir) return undefined;
  try {
    return readFileSync(path.join(dir, name), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
