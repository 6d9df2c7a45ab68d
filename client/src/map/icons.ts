import type { Map as MapLibreMap } from 'maplibre-gl';

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

/** A warning triangle with an exclamation mark, drawn as shapes (no font needed). */
export function addWarningIcon(map: MapLibreMap, id: string): void {
  if (map.hasImage(id)) return;
  const image = draw(64, (ctx, s) => {
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.moveTo(s / 2, 6);
    ctx.lineTo(s - 6, s - 8);
    ctx.lineTo(6, s - 8);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = '#b91c1c';
    ctx.fillRect(s / 2 - 3.5, 22, 7, 20);
    ctx.beginPath();
    ctx.arc(s / 2, 48, 4, 0, Math.PI * 2);
    ctx.fill();
  });
  map.addImage(id, image, { pixelRatio: 2 });
}
