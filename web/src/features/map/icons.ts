import type { DroneStatus } from '../../types';

export const STATUS_COLORS: Record<DroneStatus, string> = {
  airborne: '#40c4ff',
  ground: '#69f0ae',
  emergency: '#ff6d00',
  unknown: '#cfd8dc',
};
export const LOW_BATTERY_COLOR = '#ff3b30';
export const OFFLINE_COLOR = '#9e9e9e';

const PR = 2; // icons drawn at 2x for crisp rendering on HiDPI screens

function canvas(size: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = document.createElement('canvas');
  c.width = c.height = size * PR;
  const ctx = c.getContext('2d')!;
  ctx.scale(PR, PR);
  return [c, ctx];
}

/** Heading arrow, nose up (icon-rotate turns it to the heading, clockwise from north). */
export function arrowImage(color: string): { data: ImageData; pixelRatio: number } {
  const s = 22;
  const [c, ctx] = canvas(s);
  ctx.beginPath();
  ctx.moveTo(s / 2, 1.5);
  ctx.lineTo(s - 3.5, s - 2.5);
  ctx.lineTo(s / 2, s - 7);
  ctx.lineTo(3.5, s - 2.5);
  ctx.closePath();
  ctx.fillStyle = color;
  ctx.strokeStyle = '#07111c';
  ctx.lineWidth = 1.6;
  ctx.lineJoin = 'round';
  ctx.fill();
  ctx.stroke();
  return { data: ctx.getImageData(0, 0, c.width, c.height), pixelRatio: PR };
}

/** Drone without a known heading. */
export function dotImage(color: string): { data: ImageData; pixelRatio: number } {
  const s = 14;
  const [c, ctx] = canvas(s);
  ctx.beginPath();
  ctx.arc(s / 2, s / 2, s / 2 - 1.5, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.strokeStyle = '#07111c';
  ctx.lineWidth = 1.6;
  ctx.fill();
  ctx.stroke();
  return { data: ctx.getImageData(0, 0, c.width, c.height), pixelRatio: PR };
}
