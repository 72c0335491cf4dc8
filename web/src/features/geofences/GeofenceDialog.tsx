import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Geofence, GeofenceInput } from '../../types';
import { Modal, openDialog } from '../../ui/dialogs';

export type FormResult = { action: 'save'; input: GeofenceInput } | { action: 'delete' } | { action: 'reshape' } | { action: 'cancel' };

/** The create/edit dialog: name, rule, height band, active; for an existing geofence also Redraw and Delete. */
export function geofenceDialog(existing: Geofence | null): Promise<FormResult> {
  return openDialog<FormResult>((done) => <GeofenceDialog existing={existing} done={done} />);
}

function GeofenceDialog({ existing, done }: { existing: Geofence | null; done: (r: FormResult) => void }) {
  const name = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => name.current?.focus(), []);

  const submit = (e: Event) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget as HTMLFormElement);
    const str = (k: string) => String(d.get(k) ?? '');
    const num = (k: string) => (str(k).trim() === '' ? null : Number(str(k)));
    done({
      action: 'save',
      input: {
        name: str('name'),
        rule: str('rule') as Geofence['rule'],
        floor: num('floor'),
        ceiling: num('ceiling'),
        altitudeReference: str('altitudeReference') as Geofence['altitudeReference'],
        active: d.get('active') !== null,
      },
    });
  };

  return (
    <Modal testid="geofence-dialog" onCancel={() => done({ action: 'cancel' })}>
      <form method="dialog" class="geofence-form" onSubmit={submit}>
        <h3>{existing ? 'Edit geofence' : 'New geofence'}</h3>
        <label>
          Name{' '}
          <input
            ref={name}
            name="name"
            required
            maxLength={100}
            value={existing?.name ?? ''}
            data-testid="geofence-name"
            aria-label="Name"
          />
        </label>
        <label>
          Rule{' '}
          <select name="rule" data-testid="geofence-rule" aria-label="Rule" value={existing?.rule ?? 'keep-out'}>
            <option value="keep-out">Keep out</option>
            <option value="keep-in">Keep in</option>
          </select>
        </label>
        <label>
          Floor (m){' '}
          <input
            name="floor"
            type="number"
            value={existing?.floor ?? ''}
            placeholder="any"
            data-testid="geofence-floor"
            aria-label="Floor (m)"
          />
        </label>
        <label>
          Ceiling (m){' '}
          <input
            name="ceiling"
            type="number"
            value={existing?.ceiling ?? ''}
            placeholder="any"
            data-testid="geofence-ceiling"
            aria-label="Ceiling (m)"
          />
        </label>
        <label>
          Heights{' '}
          <select name="altitudeReference" aria-label="Height reference" value={existing?.altitudeReference ?? 'agl'}>
            <option value="agl">above ground</option>
            <option value="wgs84">WGS84 altitude</option>
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="active" checked={existing ? existing.active : true} data-testid="geofence-active" /> Active
        </label>
        <div class="dialog-actions">
          {existing && (
            <>
              <button type="button" class="btn" data-testid="geofence-reshape" onClick={() => done({ action: 'reshape' })}>
                Redraw shape
              </button>
              <button type="button" class="btn btn-danger" data-testid="geofence-delete" onClick={() => done({ action: 'delete' })}>
                Delete
              </button>
            </>
          )}
          <button type="button" class="btn" onClick={() => done({ action: 'cancel' })}>
            Cancel
          </button>
          <button type="submit" class="btn btn-primary" data-testid="geofence-save">
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
