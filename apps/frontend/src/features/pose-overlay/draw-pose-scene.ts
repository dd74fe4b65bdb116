import type { ScenePerson } from './pose-scene';

/** Dark halo under every mark: keeps the palette colours readable on both bright and dark pixels. */
const OUTLINE_COLOUR = 'rgba(0, 0, 0, 0.75)';
const LIMB_WIDTH = 3;
const KEYPOINT_RADIUS = 4;

export interface HighlightedKeypoint {
  readonly personIndex: number;
  readonly keypointIndex: number;
}

/**
 * Draws in CSS pixels: the transform scales by the backing store's pixel ratio, so line widths look the same
 * on every screen. The only imperative part of the overlay; the geometry comes precomputed in the scene.
 */
export function drawPoseScene(
  context: CanvasRenderingContext2D,
  scene: readonly ScenePerson[],
  pixelRatio: number,
  highlighted: HighlightedKeypoint | undefined,
): void {
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, context.canvas.width, context.canvas.height);
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.lineCap = 'round';

  scene.forEach((person, personIndex) => {
    for (const [width, colour] of [
      [LIMB_WIDTH + 2, OUTLINE_COLOUR],
      [LIMB_WIDTH, person.colour],
    ] as const) {
      context.beginPath();
      for (const [from, to] of person.limbs) {
        context.moveTo(from.x, from.y);
        context.lineTo(to.x, to.y);
      }
      context.lineWidth = width;
      context.strokeStyle = colour;
      context.stroke();
    }

    person.keypoints.forEach((keypoint, keypointIndex) => {
      const isHighlighted = highlighted?.personIndex === personIndex && highlighted.keypointIndex === keypointIndex;
      const radius = isHighlighted ? KEYPOINT_RADIUS * 1.75 : KEYPOINT_RADIUS;
      context.beginPath();
      context.arc(keypoint.at.x, keypoint.at.y, radius, 0, Math.PI * 2);
      context.lineWidth = 2;
      context.strokeStyle = OUTLINE_COLOUR;
      // Unsure keypoints are hollow: shown (the hover and the table list them) but visibly not trusted.
      if (keypoint.isConfident) {
        context.fillStyle = person.colour;
        context.fill();
        context.stroke();
      } else {
        context.stroke();
        context.beginPath();
        context.arc(keypoint.at.x, keypoint.at.y, radius - 1.5, 0, Math.PI * 2);
        context.lineWidth = 1.5;
        context.strokeStyle = person.colour;
        context.stroke();
      }
    });
  });
}
