import { ACCEPT_ATTRIBUTE, describeAcceptedFormats } from './accepted-media-types';
import { checkUploadFile } from './check-upload-file';

describe('checkUploadFile', () => {
  it('accepts photos and videos and tells which', () => {
    expect(checkUploadFile({ name: 'a.png', type: 'image/png', size: 10 })).toEqual({ isAccepted: true, kind: 'image' });
    expect(checkUploadFile({ name: 'a.mp4', type: 'video/mp4', size: 10 })).toEqual({ isAccepted: true, kind: 'video' });
  });

  it('rejects an empty file by name', () => {
    const check = checkUploadFile({ name: 'blank.png', type: 'image/png', size: 0 });
    expect(check).toMatchObject({ isAccepted: false, error: { title: 'blank.png is empty.' } });
  });

  it('rejects other types, naming the type and the accepted formats', () => {
    const check = checkUploadFile({ name: 'notes.txt', type: 'text/plain', size: 5 });
    expect(check).toMatchObject({
      isAccepted: false,
      error: { title: 'notes.txt is not a supported photo or video (text/plain).', advice: expect.stringContaining('JPEG, PNG') },
    });
  });

  it('lists the accepted MIME types for the picker and their plain names for people', () => {
    expect(ACCEPT_ATTRIBUTE.split(',')).toEqual(expect.arrayContaining(['image/jpeg', 'video/mp4']));
    expect(describeAcceptedFormats()).toBe('JPEG, PNG, WEBP, BMP, MP4, WEBM, MOV, AVI');
  });
});
