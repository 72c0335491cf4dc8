import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrackSampler } from './trackSampler';

const CHARTS = [
  { key: 'altitude', label: 'Altitude (m)', color: '#ffd54f' },
  { key: 'speed', label: 'Speed (m/s)', color: '#81c784' },
  { key: 'battery', label: 'Battery (%)', color: '#e57373' },
] as const;

/**
 * Altitude, speed and battery over the flight (uPlot) in a container the component owns, with a
 * cursor that follows the replay. Clicking a chart seeks the replay to that time.
 */
export class FlightCharts {
  private plots: uPlot[] = [];

  constructor(
    private readonly el: HTMLElement,
    private readonly onSeek: (t: number) => void,
  ) {}

  show(track: TrackSampler): void {
    this.destroy();
    const xs = Array.from(track.times, (t) => t / 1000);
    const width = Math.max(200, this.el.clientWidth || 320);
    for (const c of CHARTS) {
      const ys = Array.from(track[c.key], (v) => (Number.isNaN(v) ? null : v));
      const box = document.createElement('div');
      box.className = 'flight-chart';
      box.dataset.chart = c.key;
      this.el.append(box);
      const plot = new uPlot(
        {
          width,
          height: 90,
          legend: { show: false },
          cursor: { drag: { x: false, y: false }, points: { show: false } },
          scales: { x: { time: true } },
          axes: [
            { stroke: '#9fb3c8', size: 28 },
            { stroke: '#9fb3c8', size: 40, label: c.label, labelSize: 14 },
          ],
          series: [{}, { stroke: c.color, width: 1.5, spanGaps: true }],
        },
        [xs, ys],
        box,
      );
      plot.over.addEventListener('click', () => {
        const left = plot.cursor.left ?? -1;
        if (left >= 0) this.onSeek(plot.posToVal(left, 'x') * 1000);
      });
      this.plots.push(plot);
    }
  }

  /** Moves each chart's cursor to the replay time (DOM only, no redraw of the series). */
  setTime(t: number): void {
    for (const p of this.plots) {
      const left = p.valToPos(t / 1000, 'x');
      if (Number.isFinite(left)) p.setCursor({ left, top: 10 }, false);
    }
  }

  destroy(): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
    this.el.replaceChildren();
  }
}
