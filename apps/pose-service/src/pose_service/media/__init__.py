"""Decoding uploaded images and videos into RGB arrays, with limits checked before the expensive work."""
