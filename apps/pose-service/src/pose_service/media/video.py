from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from av.container import InputContainer

from pose_service.errors import CorruptMediaError, MediaTooLargeError, TooManyFramesError, UnsupportedMediaError

# FFmpeg demuxer names: mp4 shows up as the mov family, webm as matroska.
SUPPORTED_CONTAINERS = ("mov", "mp4", "matroska", "webm")


@dataclass(frozen=True)
class VideoStream:
    # The stream's own frame size; frames may come smaller (long_side).
    width: int
    height: int
    fps: float
    # RGB uint8 [h, w, 3], decoded lazily so memory holds one batch of frames, not the whole video.
    frames: Iterator[np.ndarray]


def scaled_size(width: int, height: int, long_side: int | None) -> tuple[int, int]:
    """(width, height) with the long edge at most `long_side`, aspect kept; even sizes suit swscale."""
    if long_side is None or max(width, height) <= long_side:
        return width, height
    scale = long_side / max(width, height)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def open_video(data: bytes, max_frames: int, max_pixels: int, long_side: int | None = None) -> VideoStream:
    """Check the container and the frame size now; decode frames as they are consumed.

    With `long_side`, each frame is scaled by FFmpeg's swscale as it leaves the decoder (YUV straight to small
    RGB), so a 3000x3000 frame never exists as a 27 MB RGB array: one frame in flight at full size inside FFmpeg,
    the batch at model size. Errors found while decoding (too many frames, corrupt packets) are raised by the
    frame iterator.
    """
    # Imported here: PyAV (~36 MB of FFmpeg) is only needed for video, and lean hosts (the GPU benchmark
    # machine) run the image endpoints without it.
    import av

    try:
        container = av.open(io.BytesIO(data), mode="r")
    except av.FFmpegError as error:
        raise UnsupportedMediaError("the upload is not an MP4 or WebM video") from error
    try:
        format_names = set(container.format.name.split(","))
        if not format_names & set(SUPPORTED_CONTAINERS) or not container.streams.video:
            raise UnsupportedMediaError(f"container {container.format.name!r} has no MP4/WebM video stream")
        stream = container.streams.video[0]
        if stream.width * stream.height > max_pixels:
            raise MediaTooLargeError(
                f"video is {stream.width}x{stream.height} pixels, more than the limit of {max_pixels}"
            )
        fps = float(stream.average_rate or stream.guessed_rate or 0.0)
    except Exception:
        container.close()
        raise
    size = scaled_size(stream.width, stream.height, long_side)
    return VideoStream(stream.width, stream.height, fps, _decode_frames(container, max_frames, size))


def _decode_frames(container: InputContainer, max_frames: int, size: tuple[int, int]) -> Iterator[np.ndarray]:
    import av

    count = 0
    try:
        # Header frame counts are missing or wrong in WebM, so count while decoding and stop one past the limit.
        for frame in container.decode(container.streams.video[0]):
            if count == max_frames:
                raise TooManyFramesError(f"the video has more than {max_frames} frames")
            count += 1
            yield frame.to_ndarray(width=size[0], height=size[1], format="rgb24", interpolation="AREA")
    except av.FFmpegError as error:
        raise CorruptMediaError(f"the video could not be decoded: {error}") from error
    finally:
        container.close()
    if count == 0:
        raise CorruptMediaError("the video holds no decodable frames")
