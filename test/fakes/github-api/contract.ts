// GitHub's OpenAPI description as a contract for the double: requests Steward sends and responses
// the double builds are validated against it. The 13 MB description (MIT, from GitHub's
// rest-api-description) is read from ../shared/contracts, parsed once per test file (module cache),
// and only the operations that are actually hit get compiled. Without ../shared the double runs
// unchecked, after a loud notice (STEWARD_REQUIRE_SHARED=1 makes that a failure).
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { requireShared, sharedPath } from '../../helpers/shared.js';

export const GITHUB_OPENAPI_PATH = sharedPath('contracts/github-api.github.com.json');

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: object;
  'x-multi-segment'?: boolean;
}

interface Operation {
  operationId: string;
  parameters?: Array<Parameter | { $ref: string }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: object }> }>;
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter>; responses: Record<string, { content?: Record<string, { schema: object }> }> };
}

let cached: OpenApi | undefined;
function loadDescription(): OpenApi {
  cached ??= JSON.parse(readFileSync(GITHUB_OPENAPI_PATH, 'utf8')) as OpenApi;
  return cached;
}

/**
 * Makes OpenAPI 3.0 schemas compile with ajv: inline `#/components/...` refs become `gh#/...`
 * (they are compiled apart from the document), `nullable` without `type` (ajv refuses it)
 * becomes `anyOf: [schema, null]`, and a nullable `enum` admits null.
 */
function normalize(value: unknown, rebaseRefs: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, rebaseRefs));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, k === '$ref' && rebaseRefs && typeof v === 'string' && v.startsWith('#/') ? `gh${v}` : normalize(v, rebaseRefs)] as const);
  const out = Object.fromEntries(entries) as Record<string, unknown>;
  // OpenAPI 3.0 lets `nullable` admit null past an `enum` that does not list it; ajv does not.
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.nullable === true && out.type === undefined) {
    const { nullable, ...rest } = out;
    void nullable;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

function rebase(value: unknown): unknown {
  return normalize(value, true);
}

export interface ResolvedOperation {
  method: string;
  template: string;
  operationId: string;
  params: Parameter[];
}

export interface ContractViolation {
  operation: string;
  where: 'path' | 'query' | 'body' | 'response';
  message: string;
}

type AddFormats = (ajv: Ajv) => Ajv;

export class GitHubContract {
  private readonly doc = loadDescription();
  private readonly ajv: Ajv;
  private readonly coercing: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.coercing = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
    for (const ajv of [this.ajv, this.coercing]) {
      addFormats(ajv);
      // GitHub's own format for `owner/name`.
      ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
      ajv.addSchema({ components: normalize(this.doc.components, false) }, 'gh');
    }
  }

  operation(method: string, template: string): ResolvedOperation {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`the GitHub description has no ${method} ${template}`);
    const params = (op.parameters ?? []).map((p) => ('$ref' in p ? this.doc.components.parameters[p.$ref.split('/').pop()!]! : p));
    return { method: method.toUpperCase(), template, operationId: op.operationId, params };
  }

  private compile(key: string, schema: object, coerce = false): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = (coerce ? this.coercing : this.ajv).compile(rebase(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private describe(validate: ValidateFunction): string {
    return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
  }

  /** Path and query parameters, and the JSON body; unknown query or body keys count as violations. */
  validateRequest(op: ResolvedOperation, pathParams: Record<string, string>, query: URLSearchParams, body: unknown): ContractViolation[] {
    const out: ContractViolation[] = [];
    const raw = this.doc.paths[op.template]![op.method.toLowerCase()]!;
    for (const param of op.params.filter((p): p is Parameter & { in: 'path' | 'query' } => p.in === 'path' || p.in === 'query')) {
      const value = param.in === 'path' ? pathParams[param.name] : (query.get(param.name) ?? undefined);
      if (value === undefined) {
        if (param.required) out.push({ operation: op.operationId, where: param.in, message: `missing ${param.name}` });
        continue;
      }
      const holder = { v: value };
      const validate = this.compile(`${op.operationId}:${param.in}:${param.name}`, { type: 'object', properties: { v: param.schema } }, true);
      if (!validate(holder)) out.push({ operation: op.operationId, where: param.in, message: `${param.name}=${value}: ${this.describe(validate)}` });
    }
    const known = new Set(op.params.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of query.keys()) if (!known.has(name)) out.push({ operation: op.operationId, where: 'query', message: `unknown query parameter ${name}` });
    const bodySchema = raw.requestBody?.content['application/json']?.schema as { properties?: Record<string, unknown> } | undefined;
    if (bodySchema) {
      if (body === undefined) {
        if (raw.requestBody?.required) out.push({ operation: op.operationId, where: 'body', message: 'missing JSON body' });
      } else {
        const validate = this.compile(`${op.operationId}:body`, bodySchema);
        if (!validate(body)) out.push({ operation: op.operationId, where: 'body', message: this.describe(validate) });
        // GitHub ignores unknown keys; a typo would silently do nothing, so the double refuses them.
        if (bodySchema.properties && body && typeof body === 'object') {
          for (const key of Object.keys(body)) if (!(key in bodySchema.properties)) out.push({ operation: op.operationId, where: 'body', message: `unknown body property ${key}` });
        }
      }
    } else if (body !== undefined && op.method !== 'GET') {
      out.push({ operation: op.operationId, where: 'body', message: 'the operation takes no body' });
    }
    return out;
  }

  /** A documented status's JSON body; errors outside the list must still look like GitHub's errors. */
  validateResponse(op: ResolvedOperation, status: number, body: unknown): ContractViolation[] {
    const raw = this.doc.paths[op.template]![op.method.toLowerCase()]!;
    let response = raw.responses[String(status)];
    if (response?.$ref) response = this.doc.components.responses[response.$ref.split('/').pop()!];
    const schema = response?.content?.['application/json']?.schema;
    if (!response) {
      if (status < 400) return [{ operation: op.operationId, where: 'response', message: `undocumented status ${status}` }];
      const ok = !!body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string';
      return ok ? [] : [{ operation: op.operationId, where: 'response', message: `error ${status} without a GitHub error body` }];
    }
    if (!schema) return [];
    const validate = this.compile(`${op.operationId}:response:${status}`, schema);
    return validate(body) ? [] : [{ operation: op.operationId, where: 'response', message: `${status}: ${this.describe(validate)}` }];
  }
}

let shared: GitHubContract | null | undefined;
/**
 * One contract per test file: compiled validators are reused by every double the file starts.
 * Null when ../shared is absent (after the loud notice): the double then checks nothing.
 */
export function sharedContract(): GitHubContract | null {
  if (shared === undefined) shared = requireShared('the GitHub contract checks of the GitHub double', [GITHUB_OPENAPI_PATH]) ? new GitHubContract() : null;
  return shared;
}
