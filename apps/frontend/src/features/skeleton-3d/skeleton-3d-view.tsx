import type { Person, TrackedPerson } from '@posestack/api-contracts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_MIN_SCORE } from '../pose-overlay/pose-scene';
import { useElementSize } from '../pose-overlay/use-element-size';
import { SkeletonRenderer } from './skeleton-renderer';
import { layoutPeopleInWorld } from './world-layout';

export interface Skeleton3dViewProps {
  /** The people of the photo, or of the video frame on screen. */
  readonly people: ReadonlyArray<Person | TrackedPerson>;
  /** Whether the analysis has world keypoints at all (a 3D model); decided per analysis, not per frame. */
  readonly isThreeD: boolean;
  readonly model: string | null;
}

/** Each person's skeleton in metres, orbitable; for 2D models a plain statement that there is no depth to show. */
export function Skeleton3dView({ people, isThreeD, model }: Skeleton3dViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(containerRef);
  const [renderer, setRenderer] = useState<SkeletonRenderer | 'unavailable'>();
  const world = useMemo(() => layoutPeopleInWorld(people, DEFAULT_MIN_SCORE), [people]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!isThreeD || !canvas) return;
    let created: SkeletonRenderer;
    try {
      created = new SkeletonRenderer(canvas);
    } catch {
      setRenderer('unavailable');
      return;
    }
    setRenderer(created);
    return () => {
      created.dispose();
      setRenderer(undefined);
    };
  }, [isThreeD]);

  useEffect(() => {
    if (renderer instanceof SkeletonRenderer) renderer.setSize(size.width, size.height, window.devicePixelRatio);
  }, [renderer, size]);

  useEffect(() => {
    if (renderer instanceof SkeletonRenderer) renderer.show(world);
  }, [renderer, world]);

  if (!isThreeD) {
    return (
      <section className="panel-section skeleton-3d" aria-labelledby="skeleton-3d-heading" data-testid="skeleton-3d" data-state="2d-only">
        <h3 id="skeleton-3d-heading">3D view</h3>
        <p className="skeleton-3d__notice">
          {model ? `The model ${model}` : 'This model'} gives 2D keypoints only, so there is no 3D skeleton to show. Choose a 3D model
          (BlazePose) in the model picker to see people in 3D.
        </p>
      </section>
    );
  }

  const state = renderer === 'unavailable' ? 'unavailable' : renderer ? 'ready' : 'starting';
  return (
    <section
      className="panel-section skeleton-3d"
      aria-labelledby="skeleton-3d-heading"
      data-testid="skeleton-3d"
      data-state={state}
      data-people-count={world.length}
      data-people-colours={world.map((person) => person.colour).join(' ')}
    >
      <h3 id="skeleton-3d-heading">3D view</h3>
      {state === 'unavailable' && (
        <p className="skeleton-3d__notice">This browser cannot draw 3D here (WebGL is unavailable or turned off).</p>
      )}
      <div ref={containerRef} className="skeleton-3d__stage" hidden={state === 'unavailable'}>
        <canvas ref={canvasRef} className="skeleton-3d__canvas" aria-label={`3D skeletons of ${world.length} ${world.length === 1 ? 'person' : 'people'}`} />
      </div>
      <p className="skeleton-3d__caption">
        {world.length === 0 ? 'No people in this frame.' : `${world.map((person) => person.label).join(', ')}.`} Drag to turn, scroll to
        zoom, right-drag to pan.
      </p>
    </section>
  );
}
