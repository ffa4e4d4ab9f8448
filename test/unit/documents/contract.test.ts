import {
  documentObjectKey,
  documentsCors,
  documentsCorsXml,
  parseDocumentObjectKey,
} from '@contract/documents';
import { encodeEventKey } from '@local/object-events';

describe('document object keys', () => {
  it('are opaque ids only, and parse back', () => {
    const key = documentObjectKey('CUST1234567890', 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1');

    expect(key).toBe('kyc/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1');
    expect(parseDocumentObjectKey(key)).toEqual({
      customerId: 'CUST1234567890',
      documentId: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
    });
  });

  it.each([
    'kyc/CUST1234567890/passport.pdf',
    'kyc/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1/extra',
    'other/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
    'kyc/../DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
  ])('refuses %s', (key) => {
    expect(parseDocumentObjectKey(key)).toBeUndefined();
  });

  it('are URL-encoded in events the way AWS sends them (slashes kept, spaces as +)', () => {
    expect(encodeEventKey('kyc/CUST1/DOC 1+2')).toBe('kyc/CUST1/DOC+1%2B2');
    expect(decodeURIComponent(encodeEventKey('kyc/a b/c').replace(/\+/g, ' '))).toBe('kyc/a b/c');
  });
});

describe('documents bucket CORS', () => {
  it('allows nothing without configured origins', () => {
    expect(documentsCors([])).toEqual([]);
    expect(documentsCorsXml([])).toBeUndefined();
  });

  it('allows POST from exactly the configured origins (the same rules in CDK and the emulator)', () => {
    const xml = documentsCorsXml(['https://console.bank.example']);

    expect(xml).toContain('<AllowedOrigin>https://console.bank.example</AllowedOrigin>');
    expect(xml).toContain('<AllowedMethod>POST</AllowedMethod>');
    expect(xml?.match(/<AllowedMethod>/g)).toHaveLength(1);
  });
});
