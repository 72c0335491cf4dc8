import type { LatLon } from './geo.js';

/** A drone hub: the home pads of the drones based there. */
export interface Base extends LatLon {
  name: string;
  /** Ground height above the WGS84 ellipsoid, metres (what `altitude` is measured against). */
  groundAltitude: number;
}

export interface City {
  name: string;
  /** Waypoints stay inside this box. */
  bounds: { minLat: number; maxLat: number; minLon: number; maxLon: number };
  bases: readonly Base[];
}

/**
 * Berlin: ten hubs spread over the city. Ground is ~35 m above sea level there and the geoid
 * ~39 m above the ellipsoid, so pads sit ~70–85 m above the WGS84 ellipsoid.
 */
export const BERLIN: City = {
  name: 'Berlin',
  bounds: { minLat: 52.38, maxLat: 52.63, minLon: 13.15, maxLon: 13.7 },
  bases: [
    { name: 'Tempelhofer Feld', lat: 52.473, lon: 13.401, groundAltitude: 85 },
    { name: 'Adlershof', lat: 52.434, lon: 13.542, groundAltitude: 74 },
    { name: 'Tegel', lat: 52.559, lon: 13.288, groundAltitude: 76 },
    { name: 'Westhafen', lat: 52.537, lon: 13.344, groundAltitude: 73 },
    { name: 'Marzahn', lat: 52.544, lon: 13.564, groundAltitude: 88 },
    { name: 'Botanischer Garten', lat: 52.455, lon: 13.305, groundAltitude: 90 },
    { name: 'Spandau', lat: 52.535, lon: 13.2, groundAltitude: 71 },
    { name: 'Ostkreuz', lat: 52.503, lon: 13.469, groundAltitude: 75 },
    { name: 'Pankow', lat: 52.569, lon: 13.402, groundAltitude: 82 },
    { name: 'Britz', lat: 52.443, lon: 13.435, groundAltitude: 80 },
  ],
};

/** A bbox string (`minLon,minLat,maxLon,maxLat`) around the city, for the map endpoints. */
export function cityBbox(city: City, marginDeg = 0.05): string {
  const b = city.bounds;
  return [b.minLon - marginDeg, b.minLat - marginDeg, b.maxLon + marginDeg, b.maxLat + marginDeg].join(',');
}
