"""MoveNet pose estimation served over HTTP, with the TF.js graphs executed in PyTorch."""
