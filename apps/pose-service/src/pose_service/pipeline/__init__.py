"""Image <-> model tensor geometry, output decoding and tracking: pure functions of arrays."""
