// HashiCorp's Nomad OpenAPI description as a contract: it is read in place (never copied), its
// OpenAPI 3.0 schemas are turned into JSON Schema for ajv, and objects are closed
// (additionalProperties: false) so a field the description does not know is a violation too.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { sharedPath } from '../helpers/shared.js';

export const NOMAD_OPENAPI_PATH = process.env.STEWARD_NOMAD_OPENAPI ?? sharedPath('contracts/nomad-openapi.yaml');

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, { content?: Record<string, { schema: Schema }>; headers?: Record<string, { schema: Schema }> }> };
}

export interface ResolvedOperation {
  operationId: string;
  template: string;
  method: string;
}

/** Keywords OpenAPI allows that are not JSON Schema (or not needed for validation). */
const DROP = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'deprecated', 'readOnly', 'writeOnly', 'description']);

/** OpenAPI 3.0 schema -> JSON Schema: refs rebased, `nullable` as a type union, objects closed. */
export function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [key, v] of Object.entries(value as Schema)) {
    if (DROP.has(key) || key === 'nullable') continue;
    if (key === '$ref' && typeof v === 'string') out.$ref = v.replace('#/components/schemas/', 'nomad#/definitions/');
    else if (key === 'properties' && v && typeof v === 'object') out.properties = Object.fromEntries(Object.entries(v as Schema).map(([k, p]) => [k, toJsonSchema(p)]));
    else out[key] = toJsonSchema(v);
  }
  if ((value as Schema).nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref) return { anyOf: [out, { type: 'null' }] };
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export class NomadContract {
  private readonly ajv: Ajv;
  private readonly doc: Document;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; parts: string[]; params: number }>;

  constructor(text: string) {
    this.doc = parse(text) as Document;
    type AddFormats = (ajv: Ajv) => Ajv;
    const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'nomad', definitions: toJsonSchema(this.doc.components.schemas) });
    this.templates = Object.keys(this.doc.paths)
      .map((template) => ({ template, parts: template.split('/'), params: (template.match(/\{/g) ?? []).length }))
      // Literal segments win over parameters (`/jobs/parse` before `/job/{jobName}`).
      .sort((a, b) => a.params - b.params);
  }

  /** The operation a request path (with `/v1`) and method belong to, if the description has one. */
  resolve(method: string, path: string): ResolvedOperation | undefined {
    const parts = path.replace(/^\/v1/, '').split('/');
    for (const t of this.templates) {
      if (t.parts.length !== parts.length) continue;
      if (!t.parts.every((p, i) => p.startsWith('{') || p === parts[i])) continue;
      const operation = this.doc.paths[t.template]?.[method.toLowerCase()];
      if (operation) return { operationId: operation.operationId, template: t.template, method: method.toLowerCase() };
    }
    return undefined;
  }

  validateRequest(op: ResolvedOperation, body: unknown): string[] {
    const schema = this.operation(op).requestBody?.content['application/json']?.schema;
    if (!schema) return body === undefined ? [] : [`${op.operationId}: the description has no request body`];
    return this.check(`${op.operationId} request`, schema, body);
  }

  /** Validates a 2xx answer's body and the headers the description declares for it. */
  validateResponse(op: ResolvedOperation, status: number, body: unknown, headers: Record<string, string>): string[] {
    const ref = this.operation(op).responses[String(status)]?.$ref;
    if (!ref) return [`${op.operationId}: the description has no ${status} answer`];
    const response = this.doc.components.responses[ref.split('/').at(-1)!]!;
    const problems: string[] = [];
    const schema = response.content?.['application/json']?.schema;
    if (schema) problems.push(...this.check(`${op.operationId} response`, schema, body));
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = lower[name.toLowerCase()];
      if (value === undefined) problems.push(`${op.operationId}: header ${name} missing`);
      else if (header.schema.type === 'integer' && !/^\d+$/.test(value)) problems.push(`${op.operationId}: header ${name} is not an integer: ${value}`);
      else if (header.schema.type === 'boolean' && !/^(true|false)$/.test(value)) problems.push(`${op.operationId}: header ${name} is not a boolean: ${value}`);
    }
    return problems;
  }

  private operation(op: ResolvedOperation): Operation {
    return this.doc.paths[op.template]![op.method]!;
  }

  private check(key: string, schema: Schema, value: unknown): string[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, 10).map((e) => `${key}: ${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
}

/** The contract, or null when the description is not on this machine (the caller says so loudly). */
export function loadNomadContract(): NomadContract | null {
  if (!existsSync(NOMAD_OPENAPI_PATH)) return null;
  return new NomadContract(readFileSync(NOMAD_OPENAPI_PATH, 'utf8'));
}
