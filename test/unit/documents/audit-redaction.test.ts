import { diff, redactKey } from '@domain/audit/record';

describe('KYC documents in the audit trail', () => {
  it("never copies the document number's ciphertext or blind index, only that they changed", () => {
    const changes = diff(undefined, {
      documentId: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
      numberCiphertext: 'AYADeJ...',
      numberIndex: 'mac-of-the-number',
      numberLast4: '4567',
      status: 'AWAITING_UPLOAD',
    });

    expect(changes).toEqual({
      documentId: { before: undefined, after: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1' },
      numberCiphertext: { before: undefined, after: '[REDACTED]' },
      numberIndex: { before: undefined, after: '[REDACTED]' },
      numberLast4: { before: undefined, after: '4567' },
      status: { before: undefined, after: 'AWAITING_UPLOAD' },
    });
  });

  it("hides the number's blind index in the uniqueness item's key", () => {
    expect(redactKey('UNIQUE#DOCUMENT_NUMBER#mac-of-the-number|UNIQUE')).toBe(
      'UNIQUE#DOCUMENT_NUMBER#[REDACTED]',
    );
  });
});
