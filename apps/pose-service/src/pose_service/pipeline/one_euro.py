"""The One Euro filter (Casiez et al., CHI 2012) as MediaPipe's LandmarksSmoothingCalculator runs it: the cut-off
rises with speed, so slow jitter is damped and fast motion is followed; the speed is measured in object sizes
per second (value_scale = 1 / object size), so the same settings suit near and far people."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


def _alpha(cutoff: np.ndarray | float, frequency: float) -> np.ndarray | float:
    tau = 1.0 / (2 * math.pi * cutoff)
    return 1.0 / (1.0 + tau * frequency)


@dataclass
class OneEuroFilter:
    min_cutoff: float
    beta: float
    derivative_cutoff: float = 1.0
    _last_time: float | None = field(default=None, init=False)
    _last_raw: np.ndarray | None = field(default=None, init=False)
    _last_value: np.ndarray | None = field(default=None, init=False)
    _last_derivative: np.ndarray | None = field(default=None, init=False)

    def apply(self, value: np.ndarray, time_s: float, value_scale: float = 1.0) -> np.ndarray:
        if self._last_time is None or self._last_raw is None or time_s <= self._last_time:
            self._last_time, self._last_raw, self._last_value = time_s, value, value
            return value
        frequency = 1.0 / (time_s - self._last_time)
        derivative = (value - self._last_raw) * value_scale * frequency
        if self._last_derivative is not None:
            weight = _alpha(self.derivative_cutoff, frequency)
            derivative = weight * derivative + (1 - weight) * self._last_derivative
        weight = _alpha(self.min_cutoff + self.beta * np.abs(derivative), frequency)
        smoothed = weight * value + (1 - weight) * self._last_value
        self._last_time, self._last_raw, self._last_value, self._last_derivative = (
            time_s,
            value,
            smoothed,
            derivative,
        )
        return smoothed
