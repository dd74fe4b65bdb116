/**
 * Okabe-Ito palette (colour-blind safe), minus black, which vanishes on dark footage. Each mark is also
 * outlined in near-black by the renderer, so every colour keeps contrast on light and dark media.
 */
export const TRACK_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'] as const;

/** Stable per track id (video) or person index (image); negative or fractional ids still get a colour. */
export function pickTrackColour(trackId: number): string {
  const index = Math.abs(Math.trunc(trackId)) % TRACK_COLOURS.length;
  return TRACK_COLOURS[index];
}
