import * as z from 'zod';
import type { ChannelMap } from '../../../shared/contract/channel';
import { ERROR_CODES, HTTP_STATUS } from '../../../shared/contract/envelope';
import { sessionCookieName } from './cookies';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const ErrorEnvelope = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
});

/** OpenAPI 3.1 for POST /api/<channel>, generated from the same schemas the router validates with. */
export function buildOpenApi(contract: ChannelMap, version: string, secure: boolean) {
  const errorResponses = Object.fromEntries(
    [...new Set(Object.values(HTTP_STATUS))].map((status) => [
      String(status),
      {
        description: ERROR_CODES.filter((code) => HTTP_STATUS[code] === status).join(', '),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
      },
    ]),
  );
  const paths = Object.fromEntries(
    Object.entries(contract).map(([name, spec]) => [
      `/api/${name}`,
      {
        post: {
          operationId: name,
          summary: spec.summary,
          tags: [name.split('.')[0]],
          'x-permission': spec.permission,
          'x-kind': spec.kind,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(spec.input, 'input') } },
          },
          responses: {
            '200': {
              description: 'Success',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['ok', 'data'],
                    properties: { ok: { const: true }, data: jsonSchema(spec.output, 'output') },
                  },
                },
              },
            },
            ...errorResponses,
          },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: { title: 'Orgdeck API', version },
    paths,
    components: {
      schemas: { ErrorEnvelope: jsonSchema(ErrorEnvelope, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(secure) },
        // An API token (odk_…) or a session token, for programmatic clients.
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
  };
}
