import { signal } from '@preact/signals';
import type { Map as MlMap, MapMouseEvent } from 'maplibre-gl';
import { errorText, isUnauthorized } from '../../api/client';
import type { Geofence } from '../../types';
import { confirmDialog } from '../../ui/ConfirmDialog';
import { showAlert } from '../../ui/toasts';
import { geofenceDialog } from './GeofenceDialog';
import { GeofenceLayer } from './geofenceLayer';
import { geofencesApi } from './geofencesApi';

export interface Drawing {
  vertices: [number, number][];
  /** null: a new geofence; else the one being redrawn. */
  target: Geofence | null;
}

/**
 * The tenant's geofences and, for admins, drawing them: "New geofence", then click the vertices
 * on the map and "Finish"; clicking a geofence opens its dialog (edit, redraw, delete).
 */
export class GeofenceEditor {
  readonly fences = signal<Geofence[]>([]);
  readonly drawing = signal<Drawing | null>(null);
  private layer: GeofenceLayer | null = null;

  constructor(private readonly isAdmin: () => boolean) {}

  /** Layers on the map, map clicks, then the geofences. */
  async attach(map: MlMap): Promise<void> {
    this.layer = new GeofenceLayer(map);
    this.layer.install();
    map.on('click', (e) => this.onClick(e));
    await this.reload();
  }

  async reload(): Promise<void> {
    try {
      this.fences.value = await geofencesApi.all();
    } catch (e) {
      if (!isUnauthorized(e)) showAlert(`Could not load the geofences: ${errorText(e)}`);
      return;
    }
    this.layer?.show(this.fences.value);
  }

  startDrawing(target: Geofence | null): void {
    this.drawing.value = { vertices: [], target };
    this.layer?.draft([]);
  }

  stopDrawing(): void {
    if (!this.drawing.peek()) return;
    this.drawing.value = null;
    this.layer?.draft([]);
  }

  private onClick(e: MapMouseEvent): void {
    const d = this.drawing.peek();
    if (d) {
      const vertices: [number, number][] = [...d.vertices, [Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6]];
      this.drawing.value = { ...d, vertices };
      this.layer?.draft(vertices);
      return;
    }
    if (!this.isAdmin()) return;
    const id = this.layer?.hit(e.point);
    const g = id ? this.fences.peek().find((f) => f.id === id) : undefined;
    if (g) void this.edit(g);
  }

  async finish(): Promise<void> {
    const d = this.drawing.peek();
    if (!d || d.vertices.length < 3) return showAlert('A geofence needs at least 3 vertices.', 'info');
    const geometry = { type: 'Polygon' as const, coordinates: [[...d.vertices, d.vertices[0]]] };
    this.stopDrawing();
    try {
      if (d.target) await geofencesApi.update(d.target.id, { geometry });
      else {
        const form = await geofenceDialog(null);
        if (form.action !== 'save') return;
        await geofencesApi.create({ ...form.input, geometry });
      }
      showAlert('Geofence saved.', 'success');
    } catch (e) {
      showAlert(`Could not save the geofence: ${errorText(e)}`);
    }
    await this.reload();
  }

  /** Admins only (the list and the map ask). */
  async edit(g: Geofence): Promise<void> {
    if (!this.isAdmin()) return;
    const form = await geofenceDialog(g);
    try {
      if (form.action === 'save') await geofencesApi.update(g.id, form.input);
      else if (form.action === 'reshape') return this.startDrawing(g);
      else if (form.action === 'delete') {
        if (!(await confirmDialog(`Delete the geofence “${g.name}”? Its open alerts resolve.`, 'Delete geofence'))) return;
        await geofencesApi.remove(g.id);
      } else return;
    } catch (e) {
      showAlert(`Could not change the geofence: ${errorText(e)}`);
    }
    await this.reload();
  }
}
