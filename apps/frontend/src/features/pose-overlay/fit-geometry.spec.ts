import {
  MAX_CANVAS_AREA,
  MAX_CANVAS_SIDE,
  computeBackingStore,
  computeContainFit,
  findNearestPoint,
  isDrawableFit,
  projectToCss,
} from './fit-geometry';

describe('computeContainFit', () => {
  it('letterboxes a wide image: bars above and below', () => {
    const fit = computeContainFit({ width: 1920, height: 1080 }, { width: 800, height: 600 });
    expect(fit.scale).toBeCloseTo(800 / 1920);
    expect(fit.offsetX).toBe(0);
    expect(fit.offsetY).toBeCloseTo((600 - 1080 * (800 / 1920)) / 2); // 75
  });

  it('pillarboxes a tall image: bars left and right', () => {
    const fit = computeContainFit({ width: 512, height: 1024 }, { width: 800, height: 600 });
    expect(fit.scale).toBeCloseTo(600 / 1024);
    expect(fit.offsetX).toBeCloseTo((800 - 512 * (600 / 1024)) / 2); // 250
    expect(fit.offsetY).toBe(0);
  });

  it('upscales a small image to fill the box', () => {
    const fit = computeContainFit({ width: 100, height: 100 }, { width: 400, height: 300 });
    expect(fit).toEqual({ scale: 3, offsetX: 50, offsetY: 0 });
  });

  it.each([
    [{ width: 0, height: 100 }, { width: 400, height: 300 }],
    [{ width: 100, height: 100 }, { width: 0, height: 0 }],
    [{ width: Number.NaN, height: 100 }, { width: 400, height: 300 }],
  ])('is not drawable for a degenerate size (%o in %o)', (media, box) => {
    expect(isDrawableFit(computeContainFit(media, box))).toBe(false);
  });
});

describe('projectToCss', () => {
  it('maps the media corners onto the letterboxed content rectangle', () => {
    const media = { width: 1920, height: 1080 };
    const fit = computeContainFit(media, { width: 800, height: 600 });
    expect(projectToCss({ x: 0, y: 0 }, fit)).toEqual({ x: 0, y: 75 });
    const corner = projectToCss({ x: media.width, y: media.height }, fit);
    expect(corner.x).toBeCloseTo(800);
    expect(corner.y).toBeCloseTo(525);
  });

  it('maps the media centre onto the box centre', () => {
    const fit = computeContainFit({ width: 512, height: 1024 }, { width: 800, height: 600 });
    const centre = projectToCss({ x: 256, y: 512 }, fit);
    expect(centre.x).toBeCloseTo(400);
    expect(centre.y).toBeCloseTo(300);
  });
});

describe('computeBackingStore', () => {
  it('multiplies the CSS size by devicePixelRatio', () => {
    expect(computeBackingStore({ width: 800, height: 600 }, 2)).toEqual({ width: 1600, height: 1200, pixelRatio: 2 });
  });

  it('keeps fractional ratios (browser zoom) and floors to whole pixels', () => {
    expect(computeBackingStore({ width: 333, height: 201 }, 1.25)).toEqual({ width: 416, height: 251, pixelRatio: 1.25 });
  });

  it('falls back to ratio 1 for a missing or nonsense devicePixelRatio', () => {
    expect(computeBackingStore({ width: 10, height: 10 }, Number.NaN).pixelRatio).toBe(1);
    expect(computeBackingStore({ width: 10, height: 10 }, 0).pixelRatio).toBe(1);
  });

  it('lowers the ratio instead of exceeding the browser canvas limits', () => {
    const store = computeBackingStore({ width: 12_000, height: 9_000 }, 3);
    expect(store.width).toBeLessThanOrEqual(MAX_CANVAS_SIDE);
    expect(store.width * store.height).toBeLessThanOrEqual(MAX_CANVAS_AREA);
    expect(store.pixelRatio).toBeLessThan(1);
  });

  it('gives an empty store for an unlaid-out element', () => {
    expect(computeBackingStore({ width: 0, height: 0 }, 2)).toEqual({ width: 0, height: 0, pixelRatio: 1 });
  });
});

describe('findNearestPoint', () => {
  const points = [
    { x: 10, y: 10 },
    { x: 20, y: 10 },
    { x: 100, y: 100 },
  ];

  it('picks the closest point inside the radius', () => {
    expect(findNearestPoint({ x: 17, y: 11 }, points, 8)).toBe(1);
  });

  it('returns -1 when nothing is within the radius', () => {
    expect(findNearestPoint({ x: 60, y: 60 }, points, 8)).toBe(-1);
    expect(findNearestPoint({ x: 0, y: 0 }, [], 8)).toBe(-1);
  });
});
