import type { Person } from '@posestack/api-contracts';
import { useState } from 'react';
import type { Size } from './fit-geometry';
import { PoseStage } from './pose-stage';

export interface ImagePoseViewProps {
  readonly src: string;
  readonly alt: string;
  /** Undefined while the analysis has no result yet. */
  readonly people: readonly Person[] | undefined;
  readonly onMediaError: () => void;
}

const NO_PEOPLE: readonly Person[] = [];

export function ImagePoseView({ src, alt, people, onMediaError }: ImagePoseViewProps) {
  const [mediaSize, setMediaSize] = useState<Size>();
  return (
    <PoseStage mediaSize={mediaSize} people={people ?? NO_PEOPLE} hasResult={people !== undefined}>
      <img
        className="pose-stage__media"
        src={src}
        alt={alt}
        // Huge photos decode off the main thread; keypoints are in natural pixels, so only the natural size matters.
        decoding="async"
        onLoad={(event) => setMediaSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })}
        onError={onMediaError}
      />
    </PoseStage>
  );
}
