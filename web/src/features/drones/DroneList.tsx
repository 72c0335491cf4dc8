import './drones.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { STATUSES, type DroneProps, type DroneStatus } from '../../types';
import { fmtBattery } from '../../ui/format';
import { isOnline, type ConnectionFilter, type ListEntry, type ListModel } from './listModel';

const ROW_H = 48;
const OVERSCAN = 6;

function Filters({ list }: { list: ListModel }) {
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  return (
    <div class="filters">
      <input
        type="search"
        name="search"
        placeholder="Search by name or serial"
        aria-label="Search drones by name"
        data-testid="drone-search"
        autocomplete="off"
        value={list.search.value}
        onInput={(e) => (list.search.value = value(e))}
      />
      <div class="filter-row">
        <select
          name="online"
          aria-label="Connection filter"
          data-testid="filter-online"
          value={list.connection.value}
          onInput={(e) => (list.connection.value = value(e) as ConnectionFilter)}
        >
          <option value="">Any connection</option>
          <option value="online">Online</option>
          <option value="offline">Offline</option>
        </select>
        <select
          name="status"
          aria-label="Status filter"
          data-testid="filter-status"
          value={list.status.value}
          onInput={(e) => (list.status.value = value(e) as DroneStatus | '')}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <label class="check">
        <input
          type="checkbox"
          name="lowBattery"
          data-testid="filter-low-battery"
          checked={list.lowBattery.value}
          onInput={(e) => (list.lowBattery.value = (e.currentTarget as HTMLInputElement).checked)}
        />{' '}
        Low battery only
      </label>
    </div>
  );
}

function Row({
  e,
  top,
  p,
  selected,
  alerted,
}: {
  e: ListEntry;
  top: number;
  p: Partial<DroneProps> | null;
  selected: boolean;
  alerted: boolean;
}) {
  const online = isOnline(p);
  const status = p?.status ?? 'unknown';
  // The slot is the list item (positioned); the row inside is the button.
  return (
    <div class="row-slot" role="listitem" style={{ transform: `translateY(${top}px)` }}>
      <button type="button" class={selected ? 'row selected' : 'row'} data-drone-id={e.id} aria-current={selected ? 'true' : 'false'}>
        <span class={p ? `dot st-${status}${online ? '' : ' off'}` : 'dot none'} />
        <span class="row-main">
          <span class="row-name">{e.name}</span>
          <span class="row-meta">{p ? `${status} · ${fmtBattery(p)}` : 'no position yet'}</span>
        </span>
        <span class="row-badges">
          {alerted && (
            <span class="badge badge-alert" data-testid="drone-alert-badge">
              alert
            </span>
          )}
          {p?.lowBattery && <span class="badge badge-low">low battery</span>}
          {p && !online && <span class="badge badge-off">offline</span>}
        </span>
      </button>
    </div>
  );
}

/**
 * The searchable drone list, virtualised: fixed 48 px rows, only those on screen (plus a few)
 * are rendered, so 10,000 drones cost the same as 30. A click selects and centres the drone.
 */
export function DroneList() {
  const { list, catalogue, selection, alerts } = useApp();
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600 });

  useEffect(() => {
    const el = scroller.current!;
    let raf = 0;
    const measure = () => {
      raf = 0;
      setViewport({ top: el.scrollTop, height: el.clientHeight || 600 });
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(measure);
    };
    el.addEventListener('scroll', schedule, { passive: true });
    const ro = new ResizeObserver(schedule);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', schedule);
      ro.disconnect();
      cancelAnimationFrame(raf);
    };
  }, []);

  const { rows, total } = list.view.value;
  const loading = catalogue.loading.value;
  const selected = selection.id.value;
  const alerted = alerts.openDroneIds.value;
  const n = rows.length;
  const first = Math.max(0, Math.floor(viewport.top / ROW_H) - OVERSCAN);
  const last = Math.min(n, Math.ceil((viewport.top + viewport.height) / ROW_H) + OVERSCAN);
  const onClick = (ev: MouseEvent) => {
    const row = (ev.target as HTMLElement).closest<HTMLElement>('[data-drone-id]');
    if (row?.dataset.droneId) selection.select(row.dataset.droneId, true);
  };

  return (
    <aside class="sidebar" aria-label="Drone list">
      <Filters list={list} />
      <div class="list-count" data-testid="drone-count" aria-live="polite">
        {`${n === total ? `${total} drones` : `${n} of ${total} drones`}${loading ? ` · ${loading}` : ''}`}
      </div>
      <div ref={scroller} class="list-scroll" role="list" aria-label="Drones" data-testid="drone-list">
        <div class="list-spacer" style={{ height: `${Math.max(n * ROW_H, 1)}px` }} onClick={onClick}>
          {rows.slice(first, last).map((e, i) => (
            // keyed by slot: scrolling reuses the same row elements with new contents
            <Row key={i} e={e} top={(first + i) * ROW_H} p={list.state(e.id)} selected={e.id === selected} alerted={alerted.has(e.id)} />
          ))}
        </div>
      </div>
    </aside>
  );
}
