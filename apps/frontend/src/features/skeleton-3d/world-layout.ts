import { findKeypointLayout, type Person, type TrackedPerson } from '@posestack/api-contracts';
import { identifyPerson, type PersonIdentity } from '../pose-overlay/pose-scene';

export interface WorldPoint {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export interface WorldPerson extends PersonIdentity {
  /** One per 3D keypoint, in metres, three.js axes (y up, +z towards the camera); null when too unsure to draw. */
  readonly joints: ReadonlyArray<WorldPoint | null>;
  readonly bones: ReadonlyArray<readonly [WorldPoint, WorldPoint]>;
}

/** A typical adult's height: turns a person's box height in pixels into metres for placing people apart. */
const PERSON_HEIGHT_M = 1.7;

/** True when any person carries world keypoints, i.e. the analysis came from a 3D model. */
export function hasWorldKeypoints(people: ReadonlyArray<Person | TrackedPerson>): boolean {
  return people.some((person) => person.keypoints3d !== undefined);
}

/**
 * People in one 3D scene. BlazePose's world landmarks are centred on each person's own hips, so everyone would
 * stand on one spot: each is moved sideways by where their box is in the picture, pixels turned into metres by
 * the people's mean box height (about a person's height). Depth between people is unknown to the model and
 * stays 0. MediaPipe's axes (y down, z away from the camera) become three.js's (y up, z towards it).
 */
export function layoutPeopleInWorld(people: ReadonlyArray<Person | TrackedPerson>, minScore: number): WorldPerson[] {
  const placed = people.map((person, index) => ({ person, index })).filter(({ person }) => person.keypoints3d !== undefined);
  if (placed.length === 0) return [];
  const centreOf = ({ box }: Person) => box.x + box.width / 2;
  const meanCentre = placed.reduce((sum, { person }) => sum + centreOf(person), 0) / placed.length;
  const meanHeight = placed.reduce((sum, { person }) => sum + person.box.height, 0) / placed.length;
  const metresPerPixel = meanHeight > 0 ? PERSON_HEIGHT_M / meanHeight : 0;

  return placed.map(({ person, index }) => {
    const keypoints3d = person.keypoints3d ?? [];
    const offsetX = (centreOf(person) - meanCentre) * metresPerPixel;
    const joints = keypoints3d.map((k) => (k.score >= minScore ? { x: k.x + offsetX, y: -k.y, z: -k.z } : null));
    const skeleton = findKeypointLayout(keypoints3d)?.skeleton ?? [];
    const bones = skeleton.flatMap(([from, to]) => {
      const [a, b] = [joints[from], joints[to]];
      return a && b ? [[a, b] as const] : [];
    });
    return { ...identifyPerson(person, index), joints, bones };
  });
}

export interface WorldBounds {
  readonly centre: WorldPoint;
  /** Radius of a sphere around every joint, at least half a metre so a lone joint is not zoomed into. */
  readonly radius: number;
  /** The lowest joint's height: where the floor grid goes. */
  readonly floorY: number;
}

export function measureWorld(people: readonly WorldPerson[]): WorldBounds | undefined {
  const points = people.flatMap((person) => person.joints.filter((joint): joint is WorldPoint => joint !== null));
  if (points.length === 0) return undefined;
  const axis = (pick: (p: WorldPoint) => number) => {
    const values = points.map(pick);
    return [Math.min(...values), Math.max(...values)] as const;
  };
  const [[x0, x1], [y0, y1], [z0, z1]] = [axis((p) => p.x), axis((p) => p.y), axis((p) => p.z)];
  const centre = { x: (x0 + x1) / 2, y: (y0 + y1) / 2, z: (z0 + z1) / 2 };
  return { centre, radius: Math.max(0.5, Math.hypot(x1 - x0, y1 - y0, z1 - z0) / 2), floorY: y0 };
}
