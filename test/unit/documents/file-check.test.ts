import { checkUpload, REJECTIONS, sniffContentType } from '@domain/documents/document';

const bytes = (...values: number[]) => new Uint8Array(values);
const PDF = bytes(0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37); // %PDF-1.7
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

describe('magic bytes', () => {
  it.each([
    ['PDF', PDF, 'application/pdf'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['PNG', PNG, 'image/png'],
  ] as const)('recognizes %s', (_name, head, type) => {
    expect(sniffContentType(head)).toBe(type);
  });

  it.each([
    ['truncated PNG signature', PNG.subarray(0, 7)],
    ['truncated PDF signature', PDF.subarray(0, 4)],
    ['empty', bytes()],
    ['plain text', new TextEncoder().encode('hello world')],
    ['GIF', new TextEncoder().encode('GIF89a..')],
    ['PNG with a corrupted byte', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00)],
  ])('recognizes nothing in %s', (_name, head) => {
    expect(sniffContentType(head)).toBeUndefined();
  });
});

describe('the check on arrival', () => {
  const declaredPdf = { contentType: 'application/pdf' as const, size: 1_000 };

  it('verifies a file of the declared type and size', () => {
    expect(checkUpload(declaredPdf, { size: 1_000, head: PDF })).toEqual({ status: 'VERIFIED' });
    expect(checkUpload({ contentType: 'image/png', size: 8 }, { size: 8, head: PNG })).toEqual({
      status: 'VERIFIED',
    });
  });

  it('rejects a PNG declared as a PDF, naming both types', () => {
    expect(checkUpload(declaredPdf, { size: 1_000, head: PNG })).toEqual({
      status: 'REJECTED',
      reason: REJECTIONS.typeMismatch('application/pdf', 'image/png'),
    });
  });

  it('rejects a JPEG declared as a PNG', () => {
    expect(checkUpload({ contentType: 'image/png', size: 8 }, { size: 8, head: JPEG })).toMatchObject({
      status: 'REJECTED',
      reason: 'The uploaded file is image/jpeg, not the declared image/png.',
    });
  });

  it('rejects a file of no accepted type, a truncated one, and an empty one', () => {
    expect(checkUpload(declaredPdf, { size: 1_000, head: new TextEncoder().encode('<html>') })).toEqual({
      status: 'REJECTED',
      reason: REJECTIONS.unknownType,
    });
    expect(checkUpload({ ...declaredPdf, size: 3 }, { size: 3, head: PDF.subarray(0, 3) })).toEqual({
      status: 'REJECTED',
      reason: REJECTIONS.unknownType,
    });
    expect(checkUpload(declaredPdf, { size: 0, head: bytes() })).toEqual({
      status: 'REJECTED',
      reason: REJECTIONS.empty,
    });
  });

  it('rejects a file larger or smaller than declared, and anything over 5 MB', () => {
    expect(checkUpload(declaredPdf, { size: 1_001, head: PDF })).toEqual({
      status: 'REJECTED',
      reason: REJECTIONS.sizeMismatch,
    });
    expect(checkUpload(declaredPdf, { size: 999, head: PDF })).toEqual({
      status: 'REJECTED',
      reason: REJECTIONS.sizeMismatch,
    });
    const big = 5 * 1024 * 1024 + 1;
    expect(checkUpload({ ...declaredPdf, size: big }, { size: big, head: PDF })).toEqual({
      status: 'REJECTED',
      reason: REJECTIONS.tooLarge,
    });
  });
});
