// The JSON Schema of steward.json, generated from the zod schema (for editors: "$schema").
import { z } from 'zod';
import { StewardConfig } from './schema.js';

export function buildConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(StewardConfig, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/steward-homelab/steward/schema/steward.schema.json',
    title: 'steward.json',
    description: 'Configuration of Steward for a NixOS + Nomad homelab repository.',
  };
}
