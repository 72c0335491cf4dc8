/** JSON schemas for the OpenAPI document (bodies are validated by geofence-body.validator.ts). */
const position = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 3 };
const ring = { type: 'array', items: position, minItems: 4 };

export const geofenceBodySchema = (required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    rule: { type: 'string', enum: ['keep-out', 'keep-in'] },
    geometry: {
      type: 'object',
      description: 'GeoJSON Polygon or MultiPolygon, [lon, lat] positions, closed rings, at most 10,000 positions',
      required: ['type', 'coordinates'],
      properties: {
        type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] },
        coordinates: { type: 'array', items: { oneOf: [ring, { type: 'array', items: ring }] } },
      },
    },
    floor: { type: 'number', nullable: true, minimum: -500, maximum: 20000 },
    ceiling: { type: 'number', nullable: true, minimum: -500, maximum: 20000 },
    altitudeReference: { type: 'string', enum: ['agl', 'wgs84'] },
    droneIds: { type: 'array', nullable: true, items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: 1000 },
    active: { type: 'boolean' },
  },
});
