"""Writes a 2 s, 10 fps WebM (VP9) that pans across scikit-image's astronaut, so the person moves left
frame by frame: the browser test checks that the overlay follows the playing frame.
Runs in pose-service's venv (PyAV and scikit-image are its dependencies). Usage: write-pan-video.py OUT.webm
"""

import sys

import av
import numpy as np
from skimage import data

FRAMES, FPS, SIZE = 20, 10, 384

image = data.astronaut()  # 512x512 RGB
container = av.open(sys.argv[1], mode="w")
stream = container.add_stream("libvpx-vp9", rate=FPS)
stream.width = SIZE
stream.height = SIZE
stream.pix_fmt = "yuv420p"
for index in range(FRAMES):
    offset = index * (image.shape[1] - SIZE) // (FRAMES - 1)
    crop = np.ascontiguousarray(image[64 : 64 + SIZE, offset : offset + SIZE])
    for packet in stream.encode(av.VideoFrame.from_ndarray(crop, format="rgb24")):
        container.mux(packet)
for packet in stream.encode():
    container.mux(packet)
container.close()
