import { DRONE_STATUSES } from '../core/index.js';

const num = (minimum: number, maximum: number, description: string, exclusiveMaximum = false) =>
  exclusiveMaximum
    ? { type: 'number', minimum, maximum, exclusiveMaximum: true, description }
    : { type: 'number', minimum, maximum, description };

/** OpenAPI schema of a telemetry point (the validator in telemetry-point.validator.ts enforces it). */
export const pointSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['timestamp', 'lat', 'lon'],
  properties: {
    timestamp: {
      oneOf: [
        { type: 'string', format: 'date-time', description: 'ISO-8601 with offset' },
        { type: 'integer', minimum: 0, description: 'epoch milliseconds' },
      ],
      description: 'not more than 5 minutes in the future',
    },
    lat: num(-90, 90, 'WGS84 degrees'),
    lon: num(-180, 180, 'WGS84 degrees'),
    altitude: num(-500, 20000, 'metres above the WGS84 ellipsoid'),
    heightAgl: num(-100, 20000, 'metres above ground'),
    speed: num(0, 200, 'ground speed, m/s'),
    verticalSpeed: num(-100, 100, 'm/s, up positive'),
    heading: num(0, 360, 'degrees clockwise from true north, < 360', true),
    battery: num(0, 100, 'percent'),
    status: { type: 'string', enum: [...DRONE_STATUSES], default: 'unknown' },
    accuracy: num(0, 10000, 'horizontal accuracy, metres'),
    droneId: { type: 'string', description: "must equal the key's drone" },
  },
  example: {
    timestamp: '2025-06-01T12:00:00Z',
    lat: 52.52,
    lon: 13.405,
    altitude: 120,
    speed: 12.5,
    heading: 90,
    battery: 76,
    status: 'airborne',
  },
};

export const telemetryBodySchema = {
  oneOf: [
    pointSchema,
    {
      type: 'object',
      additionalProperties: false,
      required: ['points'],
      properties: { points: { type: 'array', minItems: 1, maxItems: 1000, items: pointSchema } },
    },
  ],
};

export const ingestResultSchema = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    rejected: {
      type: 'array',
      items: { type: 'object', properties: { index: { type: 'integer' }, errors: { type: 'array', items: { type: 'string' } } } },
    },
  },
};

/**
 * The telemetry operation as an OpenAPI path item, for documents built by processes that do not
 * load the ingest module (the web role serves /api/docs for the whole API).
 */
export const telemetryPathItem = {
  post: {
    tags: ['ingest'],
    summary: 'Send one point or a batch of up to 1000 points (device key)',
    operationId: 'postTelemetry',
    security: [{ deviceKey: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: telemetryBodySchema } } },
    responses: {
      '202': { description: 'Durably queued', content: { 'application/json': { schema: ingestResultSchema } } },
      '400': { description: 'Malformed envelope, or no valid point' },
      '401': { description: 'Missing, unknown, rotated or revoked device key' },
      '403': { description: 'droneId does not match the key' },
      '413': { description: 'Body over 1 MiB' },
      '429': { description: 'Rate limited (Retry-After)' },
    },
  },
};
