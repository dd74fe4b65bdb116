import { MODEL_FIELD } from '@posestack/api-contracts';
import { ApiError } from '../../errors/api-error';
import { PoseServiceError, type PoseServiceClient } from '../../pose-service/pose-service-client';

/**
 * Refuses an upload that names a model pose-service has not loaded, before anything is stored. When pose-service
 * cannot say (it is down), the upload is accepted like any other: it is kept and fails retryably, with
 * pose-service's own verdict on the model, instead of being lost.
 */
export async function requireLoadedModel(poseService: PoseServiceClient, model: string | undefined): Promise<void> {
  if (model === undefined) return;
  let loaded: string[];
  try {
    loaded = (await poseService.listModels()).map((m) => m.name);
  } catch (error) {
    if (error instanceof PoseServiceError) return;
    throw error;
  }
  if (!loaded.includes(model)) {
    throw new ApiError(
      400,
      'BAD_REQUEST',
      `the "${MODEL_FIELD}" field names "${model}", which pose-service has not loaded; use one of ${loaded.join(', ')} (GET /api/models), or leave it out for the default`,
    );
  }
}
