import { MongoServerError, MongoServerSelectionError } from 'mongodb';
import { ApiError } from './api-error';
import { toApiError } from './to-api-error';

describe('toApiError', () => {
  it('keeps ApiErrors as they are', () => {
    const error = new ApiError(404, 'NOT_FOUND', 'analysis x does not exist');
    expect(toApiError(error)).toBe(error);
  });

  it('turns an unreachable database into 503', () => {
    const mapped = toApiError(new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:1', {} as never));
    expect([mapped.statusCode, mapped.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(mapped.message).not.toContain('ECONNREFUSED');
  });

  it("turns the driver's EPIPE on a socket the database closed into 503", () => {
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(toApiError(epipe).statusCode).toBe(503);
  });

  it('turns an overloaded database (maxTimeMS, SQLITE_BUSY) into 503 with Retry-After', () => {
    for (const error of [
      new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' }),
      new MongoServerError({ code: 1, errmsg: '[collection.go:177] database is locked (5) (SQLITE_BUSY)' }),
    ]) {
      const mapped = toApiError(error);
      expect([mapped.statusCode, mapped.code, mapped.retryAfterS]).toEqual([503, 'SERVICE_UNAVAILABLE', 2]);
      expect(mapped.message).not.toContain('SQLITE');
    }
  });

  it('names validation failures and Fastify 4xx', () => {
    expect(toApiError({ validation: [], message: 'params/id must match' }).code).toBe('VALIDATION_FAILED');
    const tooLarge = toApiError({ statusCode: 413, code: 'FST_REQ_FILE_TOO_LARGE', message: 'request file too large' });
    expect([tooLarge.statusCode, tooLarge.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('hides the internals of anything else', () => {
    const mapped = toApiError(new TypeError('cannot read x of undefined'));
    expect([mapped.statusCode, mapped.message]).toEqual([500, 'internal server error']);
  });
});
