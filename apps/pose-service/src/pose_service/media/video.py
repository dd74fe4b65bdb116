from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from pose_service.errors import CorruptMediaError, MediaTooLargeError, TooManyFramesError, UnsupportedMediaError

# FFmpeg demuxer names: mp4 shows up as the mov family, webm as matroska.
SUPPORTED_CONTAINERS = ("mov", "mp4", "matroska", "webm")


@dataclass(frozen=True)
class DecodedVideo:
    frames: list[np.ndarray]  # RGB uint8 [H, W, 3]
    fps: float


def decode_video(data: bytes, max_frames: int, max_pixels: int) -> DecodedVideo:
    # Imported here: PyAV (~36 MB of FFmpeg) is only needed for video, and lean hosts (the GPU benchmark
    # machine) run the image endpoints without it.
    import av

    try:
        container = av.open(io.BytesIO(data), mode="r")
    except av.FFmpegError as error:
        raise UnsupportedMediaError("the upload is not an MP4 or WebM video") from error
    with container:
        format_names = set(container.format.name.split(","))
        if not format_names & set(SUPPORTED_CONTAINERS) or not container.streams.video:
            raise UnsupportedMediaError(
                f"container {container.format.name!r} with no supported video stream (MP4, WebM)"
            )
        stream = container.streams.video[0]
        if stream.width * stream.height > max_pixels:
            raise MediaTooLargeError(
                f"video is {stream.width}x{stream.height} pixels, more than the limit of {max_pixels}"
            )
        # Header frame counts are missing or wrong in WebM, so count while decoding and stop one past the limit.
        frames: list[np.ndarray] = []
        try:
            for frame in container.decode(stream):
                if len(frames) == max_frames:
                    raise TooManyFramesError(f"the video has more than {max_frames} frames")
                frames.append(frame.to_ndarray(format="rgb24"))
        except av.FFmpegError as error:
            raise CorruptMediaError(f"the video could not be decoded: {error}") from error
        fps = float(stream.average_rate or stream.guessed_rate or 0.0)
    if not frames:
        raise CorruptMediaError("the video holds no decodable frames")
    return DecodedVideo(frames, fps)
