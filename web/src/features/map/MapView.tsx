import './map.css';
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useApp } from '../../app/context';
import { Legend } from './Legend';

/**
 * The map area: MapLibre owns the `.map` element (this component never re-renders into it);
 * panels that float over the map (detail, admin, flights) are its children.
 */
export function MapView({ children }: { children?: ComponentChildren }) {
  const app = useApp();
  const el = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => app.attachMap(el.current!), [app]);
  return (
    <div class="map-wrap">
      <div ref={el} class="map" data-testid="map" />
      <Legend />
      {children}
    </div>
  );
}
