import { effect } from '@preact/signals';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { EXPORT_FORMATS, type Flight } from '../../types';
import { FlightCharts } from './flightCharts';
import { flightExportUrl } from './flightsApi';
import { REPLAY_SPEEDS } from './replayClock';
import { READOUT_FIELDS, SCRUB_STEPS, type ReplayController } from './replayController';
import type { TrackSampler } from './trackSampler';

/**
 * The readout and the scrubber change every frame: an effect writes them into the DOM directly
 * (synchronously, inside the measured frame step), the component itself renders once.
 */
function Readout({ replay }: { replay: ReplayController }) {
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = box.current!;
    const scrubber = el.parentElement!.querySelector<HTMLInputElement>('[data-testid=replay-scrubber]')!;
    const dds = READOUT_FIELDS.map(([k]) => [k, el.querySelector<HTMLElement>(`[data-field=${k}]`)!] as const);
    return effect(() => {
      const r = replay.readout.value;
      if (!r) return;
      if (r.scrub !== null) scrubber.value = String(r.scrub);
      for (const [k, dd] of dds) if (dd.textContent !== r.fields[k]) dd.textContent = r.fields[k];
      const d = el.dataset;
      d.t = String(r.t);
      d.lon = String(r.lon);
      d.lat = String(r.lat);
      d.index = String(r.index);
    });
  }, [replay]);
  return (
    <div ref={box} class="replay-readout" data-testid="replay-readout">
      <dl class="fields replay-values">
        {READOUT_FIELDS.map(([k, label]) => [<dt key={`${k}-l`}>{label}</dt>, <dd key={k} data-field={k} />])}
      </dl>
    </div>
  );
}

function Charts({ replay, track }: { replay: ReplayController; track: TrackSampler }) {
  const el = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const charts = new FlightCharts(el.current!, (t) => replay.seek(t));
    charts.show(track);
    replay.setCharts(charts);
    return () => {
      replay.setCharts(null);
      charts.destroy();
    };
  }, [replay, track]);
  return <div ref={el} class="flight-charts" data-testid="flight-charts" />;
}

/** Play/pause, speed, scrubber, follow, the drone's values at the replay time, charts and export links. */
export function ReplayView({ replay, flight, track }: { replay: ReplayController; flight: Flight; track: TrackSampler }) {
  const playing = replay.playing.value;
  return (
    <div class="replay" data-testid="flight-replay" data-flight-id={flight.id}>
      <button type="button" class="btn" data-testid="replay-back" onClick={() => replay.stop()}>
        ← Flight log
      </button>
      <div class="replay-controls">
        <div class="replay-row">
          <button
            type="button"
            class="btn"
            data-testid="replay-play"
            data-state={playing ? 'playing' : 'paused'}
            onClick={() => replay.toggle()}
          >
            {playing ? 'Pause' : 'Play'}
          </button>
          <select
            data-testid="replay-speed"
            aria-label="Replay speed"
            value={String(replay.speed.value)}
            onChange={(e) => replay.setSpeed(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {REPLAY_SPEEDS.map((x) => (
              <option key={x} value={x}>{`${x}×`}</option>
            ))}
          </select>
          <label class="follow">
            <input
              type="checkbox"
              data-testid="replay-follow"
              checked={replay.follow.value}
              onChange={(e) => replay.setFollow((e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            follow
          </label>
        </div>
        <input
          type="range"
          min={0}
          max={SCRUB_STEPS}
          step={1}
          defaultValue="0"
          data-testid="replay-scrubber"
          aria-label="Replay position"
          onInput={(e) => replay.scrubTo(Number((e.currentTarget as HTMLInputElement).value))}
          onChange={() => replay.scrubTo(0, true)}
        />
        <Readout replay={replay} />
        <div class="replay-exports" data-testid="flight-exports">
          <span class="muted">Export: </span>
          {EXPORT_FORMATS.map((fmt) => (
            <a key={fmt} class="btn" href={flightExportUrl(flight.id, fmt)} download="" data-testid={`export-${fmt}`}>
              {fmt.toUpperCase()}
            </a>
          ))}
        </div>
      </div>
      <Charts replay={replay} track={track} />
    </div>
  );
}
