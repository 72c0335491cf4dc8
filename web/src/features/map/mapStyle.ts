import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { LOW_BATTERY_COLOR, OFFLINE_COLOR } from './icons';

export const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const isEmergency: ExpressionSpecification = ['==', ['get', 'status'], 'emergency'];

/** Layers a click or hover on a drone is looked up in. */
export const DRONE_LAYERS = ['drone-icon', 'drone-lowbat', 'drone-offline'];

/**
 * The live map's style: background, Natural Earth land/coast/borders (data set after load), the
 * selected drone's track, and the drones (one GeoJSON source, four layers, icons from canvases).
 */
export function style(): StyleSpecification {
  return {
    version: 8,
    // No glyphs, no sprite: nothing is fetched from outside; icons are drawn into canvases.
    sources: {
      land: { type: 'geojson', data: EMPTY, tolerance: 0.5 },
      coast: { type: 'geojson', data: EMPTY },
      borders: { type: 'geojson', data: EMPTY },
      track: { type: 'geojson', data: EMPTY },
      drones: { type: 'geojson', data: EMPTY, promoteId: 'id', buffer: 16, maxzoom: 14 },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': '#081521' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#1d3144', 'fill-antialias': false } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#3b5570', 'line-width': 0.6 } },
      { id: 'coast', type: 'line', source: 'coast', paint: { 'line-color': '#4f7193', 'line-width': 0.9 } },
      {
        id: 'track-line',
        type: 'line',
        source: 'track',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#ffd54f', 'line-width': 2.5, 'line-opacity': 0.9 },
      },
      {
        id: 'drone-offline',
        type: 'circle',
        source: 'drones',
        filter: ['==', ['get', 'online'], false],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 4.5, 6, 9, 10, 12],
          'circle-color': OFFLINE_COLOR,
          'circle-opacity': 0.45,
          'circle-stroke-color': OFFLINE_COLOR,
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'drone-lowbat',
        type: 'circle',
        source: 'drones',
        filter: ['==', ['get', 'lowBattery'], true],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 4, 6, 8, 10, 10.5],
          'circle-color': LOW_BATTERY_COLOR,
          'circle-opacity': 0.25,
          'circle-stroke-color': LOW_BATTERY_COLOR,
          'circle-stroke-width': 2,
        },
      },
      {
        id: 'drone-selected',
        type: 'circle',
        source: 'drones',
        filter: ['==', ['get', 'id'], ''],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 9, 10, 16],
          'circle-color': 'rgba(0,0,0,0)',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2.5,
        },
      },
      {
        id: 'drone-icon',
        type: 'symbol',
        source: 'drones',
        layout: {
          'icon-image': [
            'concat',
            ['case', ['==', ['typeof', ['get', 'heading']], 'number'], 'dt-arrow-', 'dt-dot-'],
            ['match', ['get', 'status'], ['airborne', 'ground', 'emergency'], ['get', 'status'], 'unknown'],
          ],
          'icon-rotate': ['coalesce', ['get', 'heading'], 0],
          'icon-rotation-alignment': 'map',
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'icon-size': [
            'interpolate',
            ['linear'],
            ['zoom'],
            2,
            ['case', isEmergency, 0.7, 0.45],
            6,
            ['case', isEmergency, 1.05, 0.8],
            10,
            ['case', isEmergency, 1.35, 1],
          ],
          'symbol-z-order': 'source', // no per-frame sorting of 10k symbols
        },
        paint: { 'icon-opacity': ['case', ['==', ['get', 'online'], false], 0.55, 1] },
      },
    ],
  };
}
