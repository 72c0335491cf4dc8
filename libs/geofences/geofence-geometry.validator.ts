/** Field-by-field checks of a geofence's GeoJSON geometry; each message names the field and the rule. */
export const MAX_POSITIONS = 10_000;

export function geometryProblems(geometry: unknown): string[] {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    return ['geometry must be a GeoJSON Polygon or MultiPolygon object'];
  }
  const g = geometry as Record<string, unknown>;
  const extra = Object.keys(g).filter((k) => k !== 'type' && k !== 'coordinates' && k !== 'bbox');
  if (extra.length > 0) return extra.map((k) => `geometry.${k} is not supported`);
  if (g.type === 'Polygon') {
    const counter = { positions: 0 };
    const problems = polygonProblems(g.coordinates, 'geometry.coordinates', counter);
    return problems.length > 0 ? problems : totalProblem(counter.positions);
  }
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return ['geometry.coordinates must be a non-empty array of polygons'];
    const counter = { positions: 0 };
    const problems: string[] = [];
    g.coordinates.forEach((poly, i) => problems.push(...polygonProblems(poly, `geometry.coordinates[${i}]`, counter)));
    return problems.length > 0 ? problems.slice(0, 10) : totalProblem(counter.positions);
  }
  return ['geometry.type must be "Polygon" or "MultiPolygon"'];
}

function totalProblem(positions: number): string[] {
  return positions > MAX_POSITIONS ? [`geometry must have at most ${MAX_POSITIONS} positions in all (has ${positions})`] : [];
}

function polygonProblems(rings: unknown, field: string, counter: { positions: number }): string[] {
  if (!Array.isArray(rings) || rings.length === 0) return [`${field} must be a non-empty array of linear rings`];
  const problems: string[] = [];
  rings.forEach((ring, i) => {
    const at = `${field}[${i}]`;
    if (!Array.isArray(ring)) return void problems.push(`${at} must be an array of [lon, lat] positions`);
    counter.positions += ring.length;
    if (counter.positions > MAX_POSITIONS) return;
    if (ring.length < 4) return void problems.push(`${at} must have at least 4 positions (a closed ring)`);
    for (let j = 0; j < ring.length; j++) {
      const problem = positionProblem(ring[j], `${at}[${j}]`);
      if (problem) return void problems.push(problem);
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) problems.push(`${at} must be closed: its last position must equal its first`);
  });
  return problems;
}

function positionProblem(p: unknown, at: string): string | null {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return `${at} must be a [lon, lat] position of numbers`;
  }
  if (p[0] < -180 || p[0] > 180) return `${at}: longitude must be between -180 and 180`;
  if (p[1] < -90 || p[1] > 90) return `${at}: latitude must be between -90 and 90`;
  return null;
}
