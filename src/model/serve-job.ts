// The work `steward serve` queues: what a webhook asked for, checked on the way in and again when
// a worker reads it back from the state database.
import { z } from 'zod';
import { Alert } from './agent-session.js';

const Sha = z.string().regex(/^[0-9a-f]{40}$/);

export const ServeJobPayload = z.discriminatedUnion('kind', [
  /** An incident's session: the alerts of one Alertmanager group, keyed deterministically. */
  z.object({ kind: z.literal('incident'), incidentKey: z.string().min(1), groupKey: z.string(), alerts: z.array(Alert).min(1) }),
  /** Every alert of the incident resolved: close its issue, announce it once. */
  z.object({ kind: z.literal('resolve'), incidentKey: z.string().min(1), groupKey: z.string() }),
  /** A push to the main branch. */
  z.object({ kind: z.literal('deploy'), head: Sha, ref: z.string() }),
  /** A pull request opened or updated. */
  z.object({ kind: z.literal('review'), pr: z.number().int().positive(), head: Sha, base: Sha }),
  /** An approval pull request merged (approved) or closed unmerged (rejected); `commit` is the (short) sha its branch names. */
  z.object({ kind: z.literal('approval'), pr: z.number().int().positive(), commit: z.string().regex(/^[0-9a-f]{7,40}$/), merged: z.boolean() }),
]);
export type ServeJobPayload = z.infer<typeof ServeJobPayload>;
export type ServeJobKind = ServeJobPayload['kind'];

export interface ServeJob {
  id: number;
  /** Deterministic: the same work asked twice has the same key and is queued once. */
  dedupKey: string;
  payload: ServeJobPayload;
  attempts: number;
  enqueuedAt: string;
}

export type ServeJobState = 'queued' | 'running' | 'done' | 'failed' | 'superseded';

export interface ServeJobResult {
  ok: boolean;
  /** One line for the log and `steward history`. */
  summary: string;
}
