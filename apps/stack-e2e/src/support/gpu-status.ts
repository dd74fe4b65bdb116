/**
 * Whether the GPU checks run, decided once from pose-service's /health: they run when it reports a CUDA device,
 * and they run (and fail) when E2E_REQUIRE_GPU=1 says a GPU is expected; otherwise they skip with the reason.
 */
export function readPoseDevice(health: Record<string, unknown> | undefined): string | undefined {
  const device = health?.['device'];
  return typeof device === 'string' ? device : undefined;
}

export function decideGpu(
  health: Record<string, unknown> | undefined,
  isRequired: boolean,
  poseServiceUrl: string | undefined,
): { isCuda: boolean; isRequired: boolean; reason: string } {
  if (!poseServiceUrl) return { isCuda: false, isRequired, reason: 'no pose-service URL (POSE_SERVICE_URL unset)' };
  const device = readPoseDevice(health);
  const isCuda = device?.startsWith('cuda') ?? false;
  const reason = isCuda
    ? `pose-service reports ${device}`
    : `pose-service at ${poseServiceUrl} reports device ${device ?? '(none)'}, not CUDA; set E2E_REQUIRE_GPU=1 to fail instead`;
  return { isCuda, isRequired, reason };
}
