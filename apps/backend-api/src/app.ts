import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiError as ApiErrorBody } from '@posestack/api-contracts';
import type { Env } from './config/env';
import { ApiError } from './errors/api-error';
import { toApiError } from './errors/to-api-error';
import config from './plugins/external/config';
import edge from './plugins/external/edge';
import mongo from './plugins/external/mongo';
import multipart from './plugins/external/multipart';
import openapi from './plugins/external/openapi';
import poseService from './plugins/external/pose-service';
import analyses from './plugins/app/analyses';
import auth from './plugins/app/auth';
import videoJobWorker from './plugins/app/video-job-worker';
import authRoutes from './routes/auth/auth-routes';
import healthRoutes from './routes/health/health-routes';
import analysesRoutes from './routes/analyses/analyses-routes';
import mediaRoutes from './routes/analyses/media-routes';
import modelsRoutes from './routes/models/models-routes';

/*
 * Why Fastify over Express: schemas are first-class (the zod type provider validates params, query and
 * responses from @posestack/api-contracts and types the handlers from them), plugins have an explicit
 * lifecycle (onReady/preClose/onClose give the Mongo client and the job worker an owner and an end), async
 * errors reach one handler without wrappers, and `inject` tests the real app without a socket.
 *
 * The three tiers of fastify/demo, registered in order rather than autoloaded (one dependency fewer, and the
 * order is visible): external plugins (config, db, pose-service, multipart), app plugins (repositories, the
 * worker), then routes.
 */
export async function buildApp(env: Env, options: { logStream?: NodeJS.WritableStream } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: env.LOG_LEVEL,
      // Credentials never reach a log line, whatever a serializer or a debug statement prints.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'],
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Only a configured proxy may set the client address (rate limits key on it); by default none is trusted.
    trustProxy: env.TRUST_PROXY,
    // Node answers 408 and closes a connection whose request has not fully arrived by then (slow uploads).
    requestTimeout: env.REQUEST_TIMEOUT_MS,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Before any route plugin: a child context copies the handlers its parent has when it is registered.
  app.setNotFoundHandler((request, reply) => {
    const body: ApiErrorBody = { error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } };
    return reply.code(404).send(body);
  });

  app.setErrorHandler((error, request, reply) => {
    let apiError = toApiError(error);
    // A bad :id is its own case for clients: "this link is broken", not "your form is wrong".
    if ((error as { validationContext?: string }).validationContext === 'params') {
      apiError = new ApiError(400, 'INVALID_ID', apiError.message, { cause: error });
    }
    if (apiError.statusCode >= 500) {
      request.log.error({ err: error, statusCode: apiError.statusCode }, 'request failed');
    } else {
      request.log.info({ code: apiError.code, reason: apiError.message }, 'request rejected');
    }
    const body: ApiErrorBody = { error: { code: apiError.code, message: apiError.message } };
    if (apiError.retryAfterS !== undefined) reply.header('retry-after', String(apiError.retryAfterS));
    return reply.code(apiError.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  });

  await app.register(config, { env });
  // Host, origin and rate limits come before anything that reads credentials or the database.
  await app.register(edge);
  // Before any route: it records each route's schema as the route is added.
  await app.register(openapi);
  await app.register(mongo);
  await app.register(poseService);
  await app.register(multipart);

  await app.register(auth);
  await app.register(analyses);
  await app.register(videoJobWorker);

  await app.register(authRoutes);
  await app.register(healthRoutes);
  await app.register(analysesRoutes);
  await app.register(mediaRoutes);
  await app.register(modelsRoutes);

  return app;
}
