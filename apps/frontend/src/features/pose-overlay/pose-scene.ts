import { findKeypointLayout, type KeypointName, type Person, type TrackedPerson } from '@posestack/api-contracts';
import { type ContainFit, type Point, projectToCss } from './fit-geometry';
import { pickTrackColour } from './track-colours';

/**
 * Below this the model is guessing (occluded or out-of-frame joints): such keypoints are still listed and
 * drawn hollow, but no limb is drawn through them.
 */
export const DEFAULT_MIN_SCORE = 0.3;

export interface SceneKeypoint {
  readonly name: KeypointName;
  readonly score: number;
  /** Position in CSS pixels of the overlay box. */
  readonly at: Point;
  /** Position in the media's own pixels, as the API reported it. */
  readonly mediaAt: Point;
  readonly isConfident: boolean;
}

export interface ScenePerson {
  /** Track id for video, index for images: the colour and the accessible label follow it. */
  readonly id: number;
  readonly label: string;
  readonly colour: string;
  readonly score: number;
  readonly keypoints: readonly SceneKeypoint[];
  readonly limbs: ReadonlyArray<readonly [Point, Point]>;
}

function hasTrackId(person: Person | TrackedPerson): person is TrackedPerson {
  return 'trackId' in person && typeof person.trackId === 'number';
}

export interface PersonIdentity {
  readonly id: number;
  readonly label: string;
  readonly colour: string;
}

/** Track id for video, index for images: the overlay, the 3D view and the angle plots name and colour people alike. */
export function identifyPerson(person: Person | TrackedPerson, index: number): PersonIdentity {
  const id = hasTrackId(person) ? person.trackId : index;
  return { id, label: hasTrackId(person) ? `Person track ${id + 1}` : `Person ${index + 1}`, colour: pickTrackColour(id) };
}

/** What the canvas draws and the hidden DOM list reads: one source, so both always agree. */
export function buildPoseScene(
  people: ReadonlyArray<Person | TrackedPerson>,
  fit: ContainFit,
  minScore: number,
): ScenePerson[] {
  return people.map((person, index) => {
    const keypoints = person.keypoints.map((keypoint) => ({
      name: keypoint.name,
      score: keypoint.score,
      at: projectToCss(keypoint, fit),
      mediaAt: { x: keypoint.x, y: keypoint.y },
      isConfident: keypoint.score >= minScore,
    }));
    // The contract admits only known layouts, so the lookup always finds one for API data.
    const skeleton = findKeypointLayout(person.keypoints)?.skeleton ?? [];
    const limbs = skeleton.filter(([from, to]) => keypoints[from]?.isConfident && keypoints[to]?.isConfident).map(
      ([from, to]) => [keypoints[from].at, keypoints[to].at] as const,
    );
    return {
      ...identifyPerson(person, index),
      score: person.score,
      keypoints,
      limbs,
    };
  });
}

export function formatKeypointName(name: KeypointName): string {
  return name.replace(/_/g, ' ');
}

export function formatScore(score: number): string {
  return `${Math.round(score * 100)}%`;
}
