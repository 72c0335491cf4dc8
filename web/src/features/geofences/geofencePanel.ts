import type { Map as MlMap, MapMouseEvent } from 'maplibre-gl';
import { confirmDialog } from '../../ui/dialogs';
import { h, setText, showAlert } from '../../ui/dom';
import { geofenceForm } from './geofenceForm';
import { GeofenceLayer } from './geofenceLayer';
import { geofencesApi } from './geofencesApi';
import { bandLabel, RULE_COLORS, type Geofence } from './geofenceTypes';

/**
 * The geofence list and, for tenant admins, drawing: "New geofence" then click the vertices on
 * the map and "Finish" (or click the first vertex again); clicking a geofence opens its form
 * (edit, redraw, delete). Viewers see the geofences but get no controls.
 */
export class GeofencePanel {
  readonly el: HTMLElement;
  private readonly layer: GeofenceLayer;
  private fences: Geofence[] = [];
  private readonly list: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly hint: HTMLElement;
  private drawing: { vertices: [number, number][]; target: Geofence | null } | null = null;
  private admin = false;

  constructor(map: MlMap) {
    this.layer = new GeofenceLayer(map);
    this.list = h('ul', { class: 'geofence-list', 'data-testid': 'geofence-list' });
    this.hint = h('p', { class: 'hint', 'data-testid': 'draw-hint', hidden: true });
    const add = h('button', { type: 'button', class: 'btn', 'data-testid': 'geofence-new' }, 'New geofence');
    const finish = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'geofence-finish' }, 'Finish');
    const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'geofence-cancel' }, 'Cancel');
    add.addEventListener('click', () => this.startDrawing(null));
    finish.addEventListener('click', () => void this.finish());
    cancel.addEventListener('click', () => this.stopDrawing());
    this.tools = h('div', { class: 'geofence-tools', hidden: true }, add, finish, cancel);
    this.el = h('section', { class: 'geofence-panel', 'aria-label': 'Geofences', 'data-testid': 'geofence-panel' }, h('h2', {}, 'Geofences'), this.tools, this.hint, this.list);
    map.on('click', (e) => this.onClick(e));
  }

  async install(): Promise<void> {
    this.layer.install();
    await this.reload();
  }

  setAdmin(admin: boolean): void {
    this.admin = admin;
    this.tools.hidden = !admin;
    if (!admin) this.stopDrawing();
  }

  async reload(): Promise<void> {
    try {
      this.fences = await geofencesApi.all();
    } catch (e) {
      showAlert(`Could not load the geofences: ${(e as Error).message}`);
      return;
    }
    this.layer.show(this.fences);
    this.list.replaceChildren(
      ...this.fences.map((g) => {
        const item = h('li', { class: 'geofence-item', 'data-testid': 'geofence-item', 'data-rule': g.rule }, h('i', { class: 'swatch', style: `--c:${RULE_COLORS[g.rule]}` }), g.name, h('small', {}, ` ${g.rule} ${bandLabel(g)}${g.active ? '' : ' (inactive)'}`));
        if (this.admin) item.addEventListener('click', () => void this.edit(g));
        return item;
      }),
    );
  }

  private startDrawing(target: Geofence | null): void {
    this.drawing = { vertices: [], target };
    this.hint.hidden = false;
    setText(this.hint, 'Click the map to add vertices, then Finish.');
    this.layer.draft([]);
  }

  private stopDrawing(): void {
    this.drawing = null;
    this.hint.hidden = true;
    this.layer.draft([]);
  }

  private onClick(e: MapMouseEvent): void {
    if (this.drawing) {
      this.drawing.vertices.push([Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6]);
      this.layer.draft(this.drawing.vertices);
      setText(this.hint, `${this.drawing.vertices.length} vertices; Finish when done (3 or more).`);
      return;
    }
    if (!this.admin) return;
    const id = this.layer.hit(e.point);
    const g = id ? this.fences.find((f) => f.id === id) : undefined;
    if (g) void this.edit(g);
  }

  private async finish(): Promise<void> {
    const d = this.drawing;
    if (!d || d.vertices.length < 3) return showAlert('A geofence needs at least 3 vertices.', 'info');
    const geometry = { type: 'Polygon' as const, coordinates: [[...d.vertices, d.vertices[0]]] };
    this.stopDrawing();
    try {
      if (d.target) await geofencesApi.update(d.target.id, { geometry });
      else {
        const form = await geofenceForm(null);
        if (form.action !== 'save') return;
        await geofencesApi.create({ ...form.input, geometry });
      }
      showAlert('Geofence saved.', 'success');
    } catch (e) {
      showAlert(`Could not save the geofence: ${(e as Error).message}`);
    }
    await this.reload();
  }

  private async edit(g: Geofence): Promise<void> {
    const form = await geofenceForm(g);
    try {
      if (form.action === 'save') await geofencesApi.update(g.id, form.input);
      else if (form.action === 'reshape') return this.startDrawing(g);
      else if (form.action === 'delete') {
        if (!(await confirmDialog(`Delete the geofence “${g.name}”? Its open alerts resolve.`, 'Delete geofence'))) return;
        await geofencesApi.remove(g.id);
      } else return;
    } catch (e) {
      showAlert(`Could not change the geofence: ${(e as Error).message}`);
    }
    await this.reload();
  }
}
