import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { given, itWhen, poseAuth, state } from '../support/stack-test';

/**
 * GPU checks (jest -t gpu): run when pose-service reports CUDA, or when E2E_REQUIRE_GPU=1 demands it (then a
 * CPU-only pose-service fails them); otherwise skipped with the reason global setup printed.
 */
const { gpu, urls } = state;
const skipReason = gpu.isCuda || gpu.isRequired ? undefined : gpu.reason;

describe('gpu', () => {
  itWhen(skipReason, 'gpu: pose-service /health reports a CUDA device and the GPU', async () => {
    const health = (await (await fetch(`${urls.poseService}/health`, { headers: poseAuth() })).json()) as Record<string, unknown>;
    console.log(`gpu: pose-service /health ${JSON.stringify(health)}`);
    expect(health['device']).toMatch(/^cuda(:\d+)?$/);
    expect(JSON.stringify(health)).toMatch(/H100|H200|NVIDIA|GeForce|Tesla|RTX|A100|L4|T4/i);
  });

  itWhen(skipReason ?? (state.imagePath ? undefined : 'no photograph (E2E_IMAGE)'), 'gpu: an analysis runs on the CUDA device', async () => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(given(state.imagePath, 'E2E_IMAGE'))], { type: 'image/png' }), basename(given(state.imagePath, 'E2E_IMAGE')));
    const started = performance.now();
    const response = await fetch(`${urls.poseService}/v1/pose`, { method: 'POST', body: form, headers: poseAuth() });
    const elapsedMs = performance.now() - started;
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    const people = (body['people'] as unknown[] | undefined) ?? [];
    // The pose answer names the device when pose-service reports it; otherwise the service's one device (from
    // /health, read right after) is where every model runs.
    const health = (await (await fetch(`${urls.poseService}/health`, { headers: poseAuth() })).json()) as Record<string, unknown>;
    const device = body['device'] ?? health['device'];
    console.log(
      `gpu: POST /v1/pose ${elapsedMs.toFixed(1)} ms, people ${people.length}, device ${JSON.stringify(device)}` +
        (body['device'] === undefined ? ' (from /health: the answer carries no device field)' : ''),
    );
    expect(device).toMatch(/^cuda(:\d+)?$/);
    expect(people.length).toBeGreaterThanOrEqual(1);
    if (urls.backend) {
      // Through the API too, when the whole stack runs: backend-api reports the device pose-service uses.
      const api = (await (await fetch(`${urls.backend}/health`)).json()) as { poseService?: { device?: string } };
      expect(api.poseService?.device).toMatch(/^cuda(:\d+)?$/);
    }
  });
});
