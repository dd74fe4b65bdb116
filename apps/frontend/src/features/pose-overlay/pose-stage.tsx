import type { Person, TrackedPerson } from '@posestack/api-contracts';
import { useLayoutEffect, useMemo, useRef, useState, type PointerEvent, type ReactNode } from 'react';
import { drawPoseScene, type HighlightedKeypoint } from './draw-pose-scene';
import { type Size, computeBackingStore, computeContainFit, findNearestPoint } from './fit-geometry';
import { DEFAULT_MIN_SCORE, buildPoseScene, formatKeypointName, formatScore } from './pose-scene';
import { useElementSize } from './use-element-size';

/** Generous for touch and for 4 px dots; in CSS pixels. */
const HOVER_RADIUS = 14;

export interface PoseStageProps {
  /** Natural size of the image or video; undefined until the media has loaded, and nothing is drawn till then. */
  readonly mediaSize: Size | undefined;
  readonly people: ReadonlyArray<Person | TrackedPerson>;
  /** False while the job runs: the media shows, but "no people" would be a claim the API has not made yet. */
  readonly hasResult: boolean;
  /** The <img> or <video>, styled to fill the stage with object-fit: contain (see app.css). */
  readonly children: ReactNode;
}

/**
 * Media with its pose overlay. The canvas matches the stage's CSS size x devicePixelRatio, and keypoints go
 * media px -> CSS px through the same contain-fit the browser applies to the media, so they stay on the
 * joints at any size. The same scene feeds a keypoint table for screen readers, keyboard users and tests.
 */
export function PoseStage({ mediaSize, people, hasResult, children }: PoseStageProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const box = useElementSize(stageRef);
  const [highlighted, setHighlighted] = useState<HighlightedKeypoint>();

  const scene = useMemo(
    () => (mediaSize ? buildPoseScene(people, computeContainFit(mediaSize, box), DEFAULT_MIN_SCORE) : []),
    [people, mediaSize, box],
  );

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const store = computeBackingStore(box, window.devicePixelRatio);
    if (canvas.width !== store.width) canvas.width = store.width;
    if (canvas.height !== store.height) canvas.height = store.height;
    drawPoseScene(context, scene, store.pixelRatio, highlighted);
  }, [scene, box, highlighted]);

  // Listening on the stage, not the canvas: the canvas ignores pointers so video controls stay clickable.
  function handlePointerMove(event: PointerEvent<HTMLDivElement>) {
    const rect = event.currentTarget.getBoundingClientRect();
    const pointer = { x: event.clientX - rect.left, y: event.clientY - rect.top };
    let found: HighlightedKeypoint | undefined;
    scene.forEach((person, personIndex) => {
      if (found) return;
      const keypointIndex = findNearestPoint(pointer, person.keypoints.map((k) => k.at), HOVER_RADIUS);
      if (keypointIndex >= 0) found = { personIndex, keypointIndex };
    });
    setHighlighted((previous) =>
      previous?.personIndex === found?.personIndex && previous?.keypointIndex === found?.keypointIndex ? previous : found,
    );
  }

  const hoveredPerson = highlighted && scene[highlighted.personIndex];
  const hoveredKeypoint = highlighted && hoveredPerson?.keypoints[highlighted.keypointIndex];
  const isReady = mediaSize !== undefined && hasResult;

  return (
    <figure className="pose-figure">
      <div
        ref={stageRef}
        className="pose-stage"
        data-testid="pose-overlay"
        data-people-count={isReady ? scene.length : undefined}
        data-ready={isReady}
        onPointerMove={handlePointerMove}
        onPointerLeave={() => setHighlighted(undefined)}
      >
        {children}
        <canvas ref={canvasRef} className="pose-stage__canvas" aria-hidden="true" />
        {hoveredPerson && hoveredKeypoint && (
          <div
            className="keypoint-tooltip"
            role="tooltip"
            style={{ left: hoveredKeypoint.at.x, top: hoveredKeypoint.at.y, borderColor: hoveredPerson.colour }}
          >
            <strong>{formatKeypointName(hoveredKeypoint.name)}</strong> {formatScore(hoveredKeypoint.score)}
            <span className="keypoint-tooltip__person">{hoveredPerson.label}</span>
          </div>
        )}
      </div>
      <figcaption>
        {isReady && <KeypointTable scene={scene} />}
      </figcaption>
    </figure>
  );
}

function KeypointTable({ scene }: { scene: ReturnType<typeof buildPoseScene> }) {
  const summary = scene.length === 0 ? 'No people found here.' : `${scene.length} ${scene.length === 1 ? 'person' : 'people'} found. Show keypoints`;
  if (scene.length === 0) return <p className="keypoint-summary">{summary}</p>;
  return (
    <details className="keypoint-details">
      <summary>{summary}</summary>
      {scene.map((person) => (
        <table key={person.id} className="keypoint-table" data-person={person.id} data-keypoint-count={person.keypoints.length}>
          <caption>
            <span className="swatch" style={{ background: person.colour }} aria-hidden="true" /> {person.label} (
            {formatScore(person.score)} sure)
          </caption>
          <thead>
            <tr>
              <th scope="col">Keypoint</th>
              <th scope="col">Score</th>
              <th scope="col">x, y (media px)</th>
            </tr>
          </thead>
          <tbody>
            {person.keypoints.map((keypoint) => (
              <tr
                key={keypoint.name}
                data-keypoint={keypoint.name}
                data-score={keypoint.score.toFixed(3)}
                data-x={keypoint.mediaAt.x}
                data-y={keypoint.mediaAt.y}
                className={keypoint.isConfident ? undefined : 'is-unsure'}
              >
                <th scope="row">{formatKeypointName(keypoint.name)}</th>
                <td>{formatScore(keypoint.score)}</td>
                <td>
                  {Math.round(keypoint.mediaAt.x)}, {Math.round(keypoint.mediaAt.y)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </details>
  );
}
