import type { Map as MapLibreMap } from 'maplibre-gl';
import { INCIDENT_TYPES, type IncidentType } from '@beacon/shared';

/** Icons are drawn on a canvas at load time: nothing is fetched, no sprite sheet to keep in sync. */
function draw(size: number, paint: (ctx: CanvasRenderingContext2D, s: number) => void): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  paint(ctx, size);
  return ctx.getImageData(0, 0, size, size);
}

/** A white chevron pointing north; rotated by the unit's heading on the map. */
export function addHeadingIcon(map: MapLibreMap, id: string): void {
  if (map.hasImage(id)) return;
  const image = draw(48, (ctx, s) => {
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = 'rgba(0,0,0,0.6)';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(s / 2, 2);
    ctx.lineTo(s / 2 + 9, 16);
    ctx.lineTo(s / 2, 12);
    ctx.lineTo(s / 2 - 9, 16);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  });
  map.addImage(id, image, { pixelRatio: 2 });
}

/** Incident glyphs are drawn at 3× and shown at 32 CSS px, so they stay sharp when the wall scales them up. */
const GLYPH_CANVAS = 96;
const GLYPH_RATIO = 3;

type Glyph = (ctx: CanvasRenderingContext2D) => void;

/** Punch `draw`'s shape out of what is drawn so far: the priority colour underneath shows through. */
function cutOut(ctx: CanvasRenderingContext2D, draw: () => void): void {
  ctx.save();
  ctx.globalCompositeOperation = 'destination-out';
  // A shadow drawn in this mode would erase a blurred band around the cut as well.
  ctx.shadowColor = 'transparent';
  draw();
  ctx.restore();
}

/** A car seen from the side, `width` px long from `x`, its roof at `y`; wheels and windows cut out. */
function car(ctx: CanvasRenderingContext2D, x: number, y: number, width: number): void {
  const k = width / 60;
  const at = (dx: number, dy: number) => [x + dx * k, y + dy * k] as const;
  ctx.beginPath();
  for (const [i, [dx, dy]] of (
    [
      [0, 28],
      [0, 16],
      [10, 12],
      [18, 0],
      [42, 0],
      [52, 12],
      [60, 14],
      [60, 28],
    ] as const
  ).entries()) {
    const [px, py] = at(dx, dy);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
  ctx.fill();
  cutOut(ctx, () => {
    ctx.beginPath();
    ctx.arc(...at(15, 28), 10 * k, 0, Math.PI * 2);
    ctx.arc(...at(46, 28), 10 * k, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillRect(...at(21, 4), 8 * k, 7 * k);
    ctx.fillRect(...at(33, 4), 8 * k, 7 * k);
  });
  ctx.beginPath();
  ctx.arc(...at(15, 28), 6 * k, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath();
  ctx.arc(...at(46, 28), 6 * k, 0, Math.PI * 2);
  ctx.fill();
}

/** The lightning bolt of the severe-weather glyph, as a closed path. */
function boltPath(ctx: CanvasRenderingContext2D): void {
  ctx.beginPath();
  ctx.moveTo(52, 44);
  ctx.lineTo(36, 68);
  ctx.lineTo(50, 68);
  ctx.lineTo(42, 90);
  ctx.lineTo(68, 60);
  ctx.lineTo(54, 60);
  ctx.lineTo(62, 44);
  ctx.closePath();
}

/**
 * One white glyph per incident type, on a 96 px canvas centred at 48,48 and about 60 px across; the map
 * draws it over a disc in the priority colour. Shapes only: no font, nothing fetched.
 */
export const INCIDENT_GLYPHS: Record<IncidentType, Glyph> = {
  // A person walking.
  pedestrian: (ctx) => {
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 8;
    ctx.beginPath();
    ctx.arc(50, 22, 8, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(48, 34);
    ctx.lineTo(44, 56);
    ctx.moveTo(32, 46);
    ctx.lineTo(47, 36);
    ctx.lineTo(60, 48);
    ctx.moveTo(44, 56);
    ctx.lineTo(33, 76);
    ctx.moveTo(44, 56);
    ctx.lineTo(58, 64);
    ctx.lineTo(60, 78);
    ctx.stroke();
  },
  // A cloud with a lightning bolt.
  severe_weather: (ctx) => {
    ctx.beginPath();
    ctx.arc(34, 44, 12, Math.PI * 0.5, Math.PI * 1.5);
    ctx.arc(50, 34, 17, Math.PI, Math.PI * 2);
    ctx.arc(66, 46, 11, Math.PI * 1.5, Math.PI * 0.5);
    ctx.closePath();
    ctx.fill();
    cutOut(ctx, () => {
      boltPath(ctx);
      ctx.lineWidth = 6;
      ctx.stroke();
    });
    boltPath(ctx);
    ctx.fill();
  },
  // A car with an impact star at its front.
  traffic_accident: (ctx) => {
    car(ctx, 12, 36, 60);
    ctx.lineCap = 'round';
    ctx.lineWidth = 5;
    ctx.beginPath();
    for (const [dx, dy] of [
      [0, -1],
      [0.8, -0.6],
      [1, 0.15],
      [0.5, 0.85],
    ] as const) {
      ctx.moveTo(77 + dx * 4, 38 + dy * 4);
      ctx.lineTo(77 + dx * 11, 38 + dy * 11);
    }
    ctx.stroke();
  },
  // A passenger car under a "no" sign: carrying fares without a licence.
  illegal_operation: (ctx) => {
    car(ctx, 23, 33, 50);
    ctx.lineWidth = 7;
    ctx.beginPath();
    ctx.arc(48, 48, 35, 0, Math.PI * 2);
    ctx.stroke();
    cutOut(ctx, () => {
      ctx.lineWidth = 12;
      ctx.beginPath();
      ctx.moveTo(24, 24);
      ctx.lineTo(72, 72);
      ctx.stroke();
    });
    ctx.beginPath();
    ctx.moveTo(24, 24);
    ctx.lineTo(72, 72);
    ctx.stroke();
  },
  // A warning triangle with an exclamation mark.
  road_hazard: (ctx) => {
    ctx.lineJoin = 'round';
    ctx.lineWidth = 6;
    ctx.beginPath();
    ctx.moveTo(48, 14);
    ctx.lineTo(82, 76);
    ctx.lineTo(14, 76);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    cutOut(ctx, () => {
      ctx.fillRect(43.5, 34, 9, 24);
      ctx.beginPath();
      ctx.arc(48, 67, 5, 0, Math.PI * 2);
      ctx.fill();
    });
  },
  // A clipboard with lines of text.
  work_order: (ctx) => {
    ctx.beginPath();
    ctx.roundRect(24, 20, 48, 62, 6);
    ctx.fill();
    cutOut(ctx, () => {
      ctx.fillRect(32, 40, 32, 6);
      ctx.fillRect(32, 52, 32, 6);
      ctx.fillRect(32, 64, 20, 6);
      ctx.beginPath();
      ctx.roundRect(36, 12, 24, 14, 4);
      ctx.fill();
    });
    ctx.beginPath();
    ctx.roundRect(39, 15, 18, 9, 3);
    ctx.fill();
  },
};

/** The image id of an incident type's glyph. */
export const incidentIconId = (type: IncidentType) => `incident-${type}`;

/** Add every incident type's glyph (white, with a faint dark edge so it reads on any priority colour). */
export function addIncidentIcons(map: MapLibreMap): void {
  for (const type of INCIDENT_TYPES) {
    const id = incidentIconId(type);
    if (map.hasImage(id)) continue;
    const image = draw(GLYPH_CANVAS, (ctx) => {
      ctx.fillStyle = '#ffffff';
      ctx.strokeStyle = '#ffffff';
      ctx.shadowColor = 'rgba(0,0,0,0.55)';
      ctx.shadowBlur = 4;
      INCIDENT_GLYPHS[type](ctx);
    });
    map.addImage(id, image, { pixelRatio: GLYPH_RATIO });
  }
}

/** A CCTV camera on its bracket, white on a slate rounded square. */
export function addCameraIcon(map: MapLibreMap, id: string): void {
  if (map.hasImage(id)) return;
  const image = draw(60, (ctx) => {
    ctx.fillStyle = 'rgba(15,32,54,0.92)';
    ctx.strokeStyle = '#94a3b8';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.roundRect(4, 4, 52, 52, 10);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#e2e8f0';
    ctx.beginPath();
    ctx.moveTo(12, 20);
    ctx.lineTo(40, 14);
    ctx.lineTo(44, 30);
    ctx.lineTo(16, 36);
    ctx.closePath();
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(44, 20);
    ctx.lineTo(50, 16);
    ctx.lineTo(52, 30);
    ctx.lineTo(45, 28);
    ctx.closePath();
    ctx.fill();
    ctx.fillRect(24, 34, 6, 10);
    ctx.fillRect(16, 42, 22, 5);
  });
  map.addImage(id, image, { pixelRatio: 3 });
}
