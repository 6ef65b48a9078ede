// Zod schemas of the Consul API answers Steward reads (only the fields it uses, as on the wire).
import { z } from 'zod';
import { dict, list } from '../nomad-http/schemas.js';

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

export const CheckWire = z.object({
  Node: text,
  CheckID: z.string(),
  Name: text,
  Status: z.string(),
  ServiceID: text,
  ServiceName: text,
  Output: text,
});
export type CheckWire = z.infer<typeof CheckWire>;

export const ServiceEntryWire = z.object({
  Node: z.object({ Node: z.string(), Address: text }),
  Service: z.object({
    ID: z.string(),
    Service: z.string(),
    Tags: list(z.string()),
    Address: text,
    Port: z.number().int().nonnegative(),
  }),
  Checks: list(CheckWire),
});

export const MemberWire = z.object({
  Name: z.string(),
  Addr: z.string(),
  Port: z.number().int().nonnegative(),
  Tags: dict(z.string()),
  Status: z.number().int(),
});

// Consul and Nomad both expose hashicorp/raft's configuration with the same shape.
export { RaftConfigurationWire } from '../nomad-http/schemas.js';
