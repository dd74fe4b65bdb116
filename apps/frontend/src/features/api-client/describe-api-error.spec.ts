import { ApiClientError } from './api-client-error';
import { describeApiError } from './describe-api-error';

describe('describeApiError', () => {
  it('names the action and the server reason, then what to do', () => {
    const error = new ApiClientError('x', 'http', { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', serverMessage: 'text/plain is not accepted' });
    const description = describeApiError('Uploading notes.txt', error);
    expect(description.title).toBe('Uploading notes.txt failed: text/plain is not accepted');
    expect(description.advice).toMatch(/^This file type is not supported\. Use one of: JPEG, PNG, WEBP, BMP, MP4/);
  });

  it('hides 5xx details and suggests waiting', () => {
    const error = new ApiClientError('x', 'http', { status: 500, code: 'INTERNAL', serverMessage: 'Internal Server Error' });
    expect(describeApiError('Loading analyses', error)).toEqual({
      title: 'Loading analyses failed.',
      advice: expect.stringContaining('Try again in a moment'),
    });
  });

  it('explains a network failure', () => {
    expect(describeApiError('Deleting', new ApiClientError('x', 'network')).title).toBe('Deleting failed: the server did not answer.');
  });

  it('falls back for errors that are not from the client', () => {
    expect(describeApiError('Drawing', new Error('boom')).advice).toContain('Reload the page');
  });
});
