import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { FeatureCollection, MultiLineString } from 'geojson';
// Natural Earth 1:50m country outlines, shipped as a file inside web/dist (no CDN at run time).
import countriesUrl from 'world-atlas/countries-50m.json?url';

export interface Basemap {
  land: FeatureCollection;
  coast: MultiLineString;
  borders: MultiLineString;
}

export async function loadBasemap(): Promise<Basemap> {
  const res = await fetch(countriesUrl);
  if (!res.ok) throw new Error(`basemap ${res.status}`);
  const topo = (await res.json()) as Topology<{ countries: GeometryCollection }>;
  const countries = topo.objects.countries;
  return {
    land: feature(topo, countries) as FeatureCollection,
    coast: mesh(topo, countries, (a, b) => a === b),
    borders: mesh(topo, countries, (a, b) => a !== b),
  };
}
