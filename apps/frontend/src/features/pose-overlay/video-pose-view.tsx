import type { VideoFrame } from '@posestack/api-contracts';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Size } from './fit-geometry';
import { PoseStage } from './pose-stage';
import { computeMaxFrameGap, findFrameAtTime } from './video-frame-lookup';

const NO_PEOPLE: VideoFrame['people'] = [];

export interface VideoPoseViewProps {
  readonly src: string;
  readonly label: string;
  /** Undefined while the analysis has no result yet. */
  readonly frames: readonly VideoFrame[] | undefined;
  readonly fps: number | undefined;
  readonly onMediaError: () => void;
  /** Told the frame on screen whenever it changes, so views beside the video (3D, angles) follow it. */
  readonly onFrameChange?: (frame: VideoFrame | undefined) => void;
}

/**
 * requestVideoFrameCallback reports the mediaTime of the frame actually composited, so the skeleton stays on
 * the picture; browsers without it fall back to timeupdate/seeked plus animation frames while playing.
 */
const NO_FRAMES: readonly VideoFrame[] = [];

export function VideoPoseView({ src, label, frames: maybeFrames, fps, onMediaError, onFrameChange }: VideoPoseViewProps) {
  const frames = maybeFrames ?? NO_FRAMES;
  const videoRef = useRef<HTMLVideoElement>(null);
  const [mediaSize, setMediaSize] = useState<Size>();
  const [frame, setFrame] = useState<VideoFrame>();
  const maxGapS = useMemo(() => computeMaxFrameGap(frames, fps ?? 0), [frames, fps]);

  useEffect(() => onFrameChange?.(frame), [frame, onFrameChange]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    // Setting state only when the frame changes keeps React renders at the sampling rate, not the display's.
    const follow = (timeS: number) => setFrame(findFrameAtTime(frames, timeS, maxGapS));
    const followCurrentTime = () => follow(video.currentTime);
    let isActive = true;
    let callbackHandle = 0;
    let animationHandle = 0;

    const hasFrameCallback = typeof video.requestVideoFrameCallback === 'function';
    if (hasFrameCallback) {
      const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
        if (!isActive) return;
        follow(metadata.mediaTime);
        callbackHandle = video.requestVideoFrameCallback(onFrame);
      };
      callbackHandle = video.requestVideoFrameCallback(onFrame);
    }
    const tick = () => {
      followCurrentTime();
      if (isActive && !video.paused) animationHandle = requestAnimationFrame(tick);
    };
    if (!hasFrameCallback) {
      video.addEventListener('play', tick);
      video.addEventListener('timeupdate', followCurrentTime);
    }
    video.addEventListener('seeked', followCurrentTime);
    video.addEventListener('loadeddata', followCurrentTime);
    followCurrentTime();

    return () => {
      isActive = false;
      if (hasFrameCallback) video.cancelVideoFrameCallback(callbackHandle);
      cancelAnimationFrame(animationHandle);
      video.removeEventListener('seeked', followCurrentTime);
      video.removeEventListener('loadeddata', followCurrentTime);
      video.removeEventListener('timeupdate', followCurrentTime);
      video.removeEventListener('play', tick);
    };
  }, [frames, maxGapS]);

  return (
    <PoseStage mediaSize={mediaSize} people={frame?.people ?? NO_PEOPLE} hasResult={maybeFrames !== undefined}>
      <video
        ref={videoRef}
        className="pose-stage__media"
        src={src}
        aria-label={label}
        controls
        playsInline
        muted
        preload="metadata"
        onLoadedMetadata={(event) => setMediaSize({ width: event.currentTarget.videoWidth, height: event.currentTarget.videoHeight })}
        onError={onMediaError}
      />
    </PoseStage>
  );
}
