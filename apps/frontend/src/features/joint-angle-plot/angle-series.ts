import { computeJointAngles, JOINT_ANGLES, type JointAngleName, type VideoFrame } from '@posestack/api-contracts';
import { identifyPerson, type PersonIdentity } from '../pose-overlay/pose-scene';

export interface TrackAngleSeries extends PersonIdentity {
  /** Whether the angles come from 3D keypoints (true angles) or the image plane (foreshortened). */
  readonly isThreeD: boolean;
  /** Degrees per frame of the video (frames' own times are the x axis); null where the track is absent or unsure. */
  readonly angles: Readonly<Record<JointAngleName, ReadonlyArray<number | null>>>;
}

export interface AngleSeries {
  readonly timesS: readonly number[];
  readonly tracks: readonly TrackAngleSeries[];
}

/**
 * One set of joint-angle series per track over the whole video, all on the frames' time axis, so every plot
 * shares x and the video's time maps to one spot on each. Tracks in order of id.
 */
export function buildAngleSeries(frames: readonly VideoFrame[], minScore: number): AngleSeries {
  const byTrack = new Map<number, { identity: PersonIdentity; isThreeD: boolean; angles: Record<JointAngleName, Array<number | null>> }>();
  frames.forEach((frame, frameIndex) => {
    frame.people.forEach((person, personIndex) => {
      let track = byTrack.get(person.trackId);
      if (!track) {
        const angles = Object.fromEntries(JOINT_ANGLES.map(({ name }) => [name, new Array<number | null>(frames.length).fill(null)]));
        track = { identity: identifyPerson(person, personIndex), isThreeD: false, angles: angles as Record<JointAngleName, Array<number | null>> };
        byTrack.set(person.trackId, track);
      }
      track.isThreeD ||= person.keypoints3d !== undefined;
      const measured = computeJointAngles(person, minScore);
      for (const { name } of JOINT_ANGLES) track.angles[name][frameIndex] = measured[name];
    });
  });
  const tracks = [...byTrack.values()]
    .sort((a, b) => a.identity.id - b.identity.id)
    .map(({ identity, isThreeD, angles }) => ({ ...identity, isThreeD, angles }));
  return { timesS: frames.map((frame) => frame.timeS), tracks };
}

export function formatAngleName(name: JointAngleName): string {
  return name.replace('_', ' ');
}
