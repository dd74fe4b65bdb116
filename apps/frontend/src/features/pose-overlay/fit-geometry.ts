/**
 * Geometry between three spaces:
 *   media pixels  (what the pose model saw: the image's or video frame's natural size),
 *   CSS pixels    (the box the <img>/<video> occupies; `object-fit: contain` letterboxes the media inside it),
 *   canvas pixels (the canvas backing store: CSS pixels x devicePixelRatio, so lines stay sharp on HiDPI).
 * Everything here is pure so the unit tests cover the maths without a DOM.
 */

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Media pixels -> CSS pixels: cssX = offsetX + mediaX * scale (same for y). */
export interface ContainFit {
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/** Nothing is drawn for it: a zero scale maps every point onto the origin and isDrawableFit says false. */
const EMPTY_FIT: ContainFit = { scale: 0, offsetX: 0, offsetY: 0 };

/**
 * Browsers refuse (or silently blank) canvases past these limits; Chromium caps a side at 32767 px and
 * Safari the area at 16 Mi px, so the smaller of each keeps a huge display x high DPR from breaking.
 */
export const MAX_CANVAS_SIDE = 16_384;
export const MAX_CANVAS_AREA = 16_777_216;

function isPositiveSize(size: Size): boolean {
  return Number.isFinite(size.width) && Number.isFinite(size.height) && size.width > 0 && size.height > 0;
}

/** Same rule as CSS `object-fit: contain` with the default `object-position: 50% 50%`. */
export function computeContainFit(media: Size, box: Size): ContainFit {
  if (!isPositiveSize(media) || !isPositiveSize(box)) return EMPTY_FIT;
  const scale = Math.min(box.width / media.width, box.height / media.height);
  return {
    scale,
    offsetX: (box.width - media.width * scale) / 2,
    offsetY: (box.height - media.height * scale) / 2,
  };
}

export function isDrawableFit(fit: ContainFit): boolean {
  return fit.scale > 0 && Number.isFinite(fit.scale);
}

export function projectToCss(point: Point, fit: ContainFit): Point {
  return { x: fit.offsetX + point.x * fit.scale, y: fit.offsetY + point.y * fit.scale };
}

/**
 * Backing-store size for a canvas shown at `box` CSS pixels. Returns the pixel ratio actually used, which
 * is lower than the requested one when the limits above would be exceeded; the drawing transform
 * (ctx.setTransform(pixelRatio, ...), CSS px -> canvas px) must use it, not window.devicePixelRatio.
 */
export function computeBackingStore(box: Size, devicePixelRatio: number): Size & { readonly pixelRatio: number } {
  if (!isPositiveSize(box)) return { width: 0, height: 0, pixelRatio: 1 };
  const requested = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const sideLimit = MAX_CANVAS_SIDE / Math.max(box.width, box.height);
  const areaLimit = Math.sqrt(MAX_CANVAS_AREA / (box.width * box.height));
  const pixelRatio = Math.min(requested, sideLimit, areaLimit);
  return {
    width: Math.max(1, Math.floor(box.width * pixelRatio)),
    height: Math.max(1, Math.floor(box.height * pixelRatio)),
    pixelRatio,
  };
}

/** Index of the nearest point within `radius` CSS pixels of `pointer`, or -1. */
export function findNearestPoint(pointer: Point, points: readonly Point[], radius: number): number {
  let best = -1;
  let bestDistance = radius * radius;
  points.forEach((point, index) => {
    const distance = (point.x - pointer.x) ** 2 + (point.y - pointer.y) ** 2;
    if (distance <= bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}
