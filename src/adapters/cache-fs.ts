// CachePort on the filesystem: one JSON file per key under the cache directory
// ($XDG_CACHE_HOME/steward by default). Writes are atomic (write then rename).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CachePort } from '../ports/cache.js';

export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'steward');
}

export class FsCache implements CachePort {
  constructor(private readonly dir: string) {}

  async get<T>(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.file(key), 'utf8')) as T;
    } catch {
      return undefined; // missing or unreadable entries are simply misses
    }
  }

  async set<T>(key: string, value: T): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(value));
    await rename(temp, file);
  }

  private file(key: string): string {
    const [namespace] = key.split(':');
    return path.join(this.dir, namespace ?? 'misc', `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  }
}
