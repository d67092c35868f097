import { z } from 'zod';
import { FIELD_CODES } from '../config/field-codes';
import { OVERRIDE_CODES } from '../pool/custom-text';
import { scopes } from './auth';
import type { Route } from './route';

export const API_BASE = '/admin/api/v1';

const problem = {
  description: 'An RFC 9457 problem',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['pointer', 'detail', 'code', 'params'],
              properties: {
                pointer: { type: 'string', description: 'JSON Pointer (RFC 6901) into the body or query' },
                detail: { type: 'string', description: 'Why, in English' },
                code: {
                  type: 'string',
                  description: `Why, as a stable code to word in your own language: ${Object.entries(FIELD_CODES)
                    .map(([code, params]) => (params.length ? `${code} (${params.join(', ')})` : code))
                    .join('; ')}; custom text's overrides have their own codes (${OVERRIDE_CODES.join(', ')}). \`custom\`: a rule without a code of its own, said by \`detail\`.`,
                },
                params: { type: 'object', additionalProperties: { type: 'string' }, description: 'The values the code’s wording needs (named after the code above)' },
              },
            },
          },
        },
      },
    },
  },
};

type Json = Record<string, unknown>;

/**
 * JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema; named schemas (`.meta({ id })`)
 * go to components and are referenced.
 */
function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const { $schema: _, $defs, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as Json & { $defs?: Json };
  void _;
  const suffix = io === 'input' ? 'Input' : '';
  // References between definitions too (a named schema inside another) point into components.
  const relocated = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/"#\/\$defs\/([^"]+)"/g, (_m, n: string) => `"#/components/schemas/${n}${suffix}"`)) as Json;
  for (const [name, def] of Object.entries($defs ?? {})) components[`${name}${suffix}`] = relocated(def);
  // A named schema at the top level is itself a component.
  const id = (rest as { id?: string }).id;
  const out = relocated(rest);
  if (id) {
    delete out.id;
    components[`${id}${suffix}`] = out;
    return { $ref: `#/components/schemas/${id}${suffix}` };
  }
  return out;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: Json): Json[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input', components) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document of `routes`, from the very schemas that validate their requests. */
export function openApiDocument(routes: readonly Route[], issuer: string): Json {
  const components: Json = {};
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const write = r.method !== 'GET';
    const headers = r.response.etag ? { ETag: { description: 'The representation’s ETag, for If-Match', schema: { type: 'string' } } } : undefined;
    const success: Json = {
      description: 'Success',
      ...(headers ? { headers } : {}),
      ...(r.response.schema ? { content: { [r.response.mediaType ?? 'application/json']: { schema: schemaOf(r.response.schema, 'output', components) } } } : {}),
    };
    const ifMatch = r.ifMatch
      ? [{ name: 'If-Match', in: 'header', required: false, description: r.ifMatch === 'required' ? 'Required when the resource exists (428 without it); 412 when stale' : 'Checked when given (412 when stale)', schema: { type: 'string' } }]
      : [];
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.id,
      tags: [r.tag],
      summary: r.summary,
      security: [{ bearer: [] }, { clientCredentials: [write ? 'foyer/admin' : 'foyer/admin.read'] }],
      parameters: [...parameters(r.params, 'path', components), ...parameters(r.query, 'query', components), ...ifMatch],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input', components) } } } } : {}),
      responses: { [String(r.response.status)]: success, '4XX': problem },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Foyer admin API', version: '1' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: `${issuer}${API_BASE}` }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `An access token for the audience "foyer" (${Object.keys(scopes).join(' or ')})` },
        clientCredentials: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${issuer}/oauth2/token`, scopes } } },
      },
    },
  };
}
