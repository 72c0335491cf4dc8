import { h } from '../../ui/dom';
import type { Geofence, GeofenceInput } from './geofenceTypes';

export type FormResult = { action: 'save'; input: GeofenceInput } | { action: 'delete' } | { action: 'reshape' } | { action: 'cancel' };

/** The create/edit dialog: name, rule, height band, active; for an existing geofence also Redraw and Delete. */
export function geofenceForm(existing: Geofence | null): Promise<FormResult> {
  return new Promise((resolve) => {
    const name = h('input', { name: 'name', required: true, maxlength: 100, value: existing?.name ?? '', 'data-testid': 'geofence-name', 'aria-label': 'Name' });
    const rule = h('select', { name: 'rule', 'data-testid': 'geofence-rule', 'aria-label': 'Rule' }, h('option', { value: 'keep-out' }, 'Keep out'), h('option', { value: 'keep-in' }, 'Keep in'));
    rule.value = existing?.rule ?? 'keep-out';
    const floor = h('input', { name: 'floor', type: 'number', value: existing?.floor ?? '', placeholder: 'any', 'data-testid': 'geofence-floor', 'aria-label': 'Floor (m)' });
    const ceiling = h('input', { name: 'ceiling', type: 'number', value: existing?.ceiling ?? '', placeholder: 'any', 'data-testid': 'geofence-ceiling', 'aria-label': 'Ceiling (m)' });
    const ref = h('select', { name: 'altitudeReference', 'aria-label': 'Height reference' }, h('option', { value: 'agl' }, 'above ground'), h('option', { value: 'wgs84' }, 'WGS84 altitude'));
    ref.value = existing?.altitudeReference ?? 'agl';
    const active = h('input', { type: 'checkbox', name: 'active', checked: existing ? existing.active : true, 'data-testid': 'geofence-active' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'geofence-save' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    const extra = existing
      ? [h('button', { type: 'button', class: 'btn', 'data-testid': 'geofence-reshape' }, 'Redraw shape'), h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'geofence-delete' }, 'Delete')]
      : [];
    const form = h(
      'form',
      { method: 'dialog', class: 'geofence-form' },
      h('h3', {}, existing ? 'Edit geofence' : 'New geofence'),
      h('label', {}, 'Name ', name),
      h('label', {}, 'Rule ', rule),
      h('label', {}, 'Floor (m) ', floor),
      h('label', {}, 'Ceiling (m) ', ceiling),
      h('label', {}, 'Heights ', ref),
      h('label', { class: 'check' }, active, ' Active'),
      h('div', { class: 'dialog-actions' }, ...extra, cancel, save),
    );
    const dlg = h('dialog', { class: 'dialog', 'data-testid': 'geofence-dialog' }, form);
    const done = (r: FormResult) => {
      dlg.close();
      dlg.remove();
      resolve(r);
    };
    const num = (el: HTMLInputElement) => (el.value.trim() === '' ? null : Number(el.value));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      done({ action: 'save', input: { name: name.value, rule: rule.value as Geofence['rule'], floor: num(floor), ceiling: num(ceiling), altitudeReference: ref.value as Geofence['altitudeReference'], active: active.checked } });
    });
    cancel.addEventListener('click', () => done({ action: 'cancel' }));
    extra[0]?.addEventListener('click', () => done({ action: 'reshape' }));
    extra[1]?.addEventListener('click', () => done({ action: 'delete' }));
    dlg.addEventListener('cancel', (e) => {
      e.preventDefault();
      done({ action: 'cancel' });
    });
    document.body.append(dlg);
    dlg.showModal();
    name.focus();
  });
}
