"""Loads TF.js graph models and runs them with PyTorch ops."""
