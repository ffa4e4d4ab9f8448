import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { LOCAL_REGION, LOOPBACK, listenOn, type EmulatorOptions, type RunningEmulator } from './support';

/*
 * A small KMS for the local runtime: no KMS emulator exists on npm, and the handlers must run the same
 * Encryption SDK (KmsKeyringNode) and GenerateMac calls locally as in AWS. It speaks the KMS JSON 1.1
 * protocol for exactly the operations the app and the local bootstrap use. Key material is random, created
 * once per key and kept in the data dir (mode 0600) so ciphertexts stored in DynamoDB Local survive restarts.
 * It is a development tool: the material sits on disk in the clear, which is why keys are local-only ARNs.
 */

export const LOCAL_ACCOUNT_ID = '000000000000';

type KeyUsage = 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC';

interface StoredKey {
  keyId: string;
  arn: string;
  keyUsage: KeyUsage;
  keySpec: 'SYMMETRIC_DEFAULT' | 'HMAC_256';
  description: string;
  /** Epoch seconds, as the JSON protocol carries timestamps. */
  creationDate: number;
  /** base64 of 32 random bytes. */
  material: string;
}

interface KeyFile {
  version: 1;
  keys: StoredKey[];
}

export interface KmsOptions extends EmulatorOptions {
  /** Directory for `keys.json` (created with mode 0700). */
  dataDir: string;
}

/** An error the SDK turns into its typed exception: `__type` names the class, 4xx/5xx as AWS answers. */
class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const CIPHERTEXT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const UUID_BYTES = 16;
const HEADER_BYTES = 1 + UUID_BYTES + IV_BYTES + TAG_BYTES;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_PLAINTEXT_BYTES = 4096;

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const bytesToUuid = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * The encryption context, serialized the same way whatever order the caller sent its keys in (sorted by the
 * UTF-8 bytes of the key, like the Encryption SDK). Bound into the AES-GCM tag with the key id, so a
 * different context or key fails authentication exactly as KMS refuses it.
 */
const canonicalContext = (context: unknown): Buffer => {
  if (context === undefined || context === null) return Buffer.from('[]');
  if (typeof context !== 'object' || Array.isArray(context)) {
    throw new KmsError('ValidationException', 'EncryptionContext must be a map of strings.');
  }
  const entries = Object.entries(context as Record<string, unknown>);
  for (const [, value] of entries) {
    if (typeof value !== 'string')
      throw new KmsError('ValidationException', 'EncryptionContext values must be strings.');
  }
  entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  return Buffer.from(JSON.stringify(entries), 'utf8');
};

const blob = (input: Record<string, unknown>, field: string, required = true): Buffer | undefined => {
  const value = input[field];
  if (value === undefined || value === null) {
    if (required) throw new KmsError('ValidationException', `${field} is required.`);
    return undefined;
  }
  if (typeof value !== 'string') throw new KmsError('ValidationException', `${field} must be a base64 blob.`);
  return Buffer.from(value, 'base64');
};

const requiredString = (input: Record<string, unknown>, field: string): string => {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new KmsError('ValidationException', `${field} is required.`);
  }
  return value;
};

class KeyStore {
  private readonly keys = new Map<string, StoredKey>();
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(text) as KeyFile;
    for (const key of parsed.keys) this.keys.set(key.keyId, key);
  }

  create(keyUsage: KeyUsage, description: string): Promise<StoredKey> {
    const keyId = randomUUID();
    const key: StoredKey = {
      keyId,
      arn: `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:key/${keyId}`,
      keyUsage,
      keySpec: keyUsage === 'ENCRYPT_DECRYPT' ? 'SYMMETRIC_DEFAULT' : 'HMAC_256',
      description,
      creationDate: Math.floor(Date.now() / 1000),
      material: randomBytes(32).toString('base64'),
    };
    this.keys.set(keyId, key);
    // Writes are chained so two CreateKey calls in flight never interleave their files.
    const written = this.writes.then(() => this.persist());
    this.writes = written.catch(() => undefined);
    return written.then(() => key);
  }

  private async persist(): Promise<void> {
    const content: KeyFile = { version: 1, keys: [...this.keys.values()] };
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(content, null, 2), { mode: 0o600 });
    await rename(temporary, this.file);
  }

  /** Accepts a key id or key ARN, as KMS does (aliases are not used by the app). */
  find(keyIdOrArn: string): StoredKey {
    const keyId = keyIdOrArn.startsWith('arn:')
      ? keyIdOrArn.slice(keyIdOrArn.lastIndexOf('/') + 1)
      : keyIdOrArn;
    const key = this.keys.get(keyId);
    if (!key || (keyIdOrArn.startsWith('arn:') && key.arn !== keyIdOrArn)) {
      throw new KmsError('NotFoundException', `Key '${keyIdOrArn}' does not exist`);
    }
    return key;
  }
}

const requireUsage = (key: StoredKey, usage: KeyUsage, operation: string) => {
  if (key.keyUsage !== usage) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  }
};

const seal = (key: StoredKey, plaintext: Buffer, context: unknown): Buffer => {
  if (plaintext.length === 0 || plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new KmsError('ValidationException', `Plaintext must be 1 to ${MAX_PLAINTEXT_BYTES} bytes.`);
  }
  const keyIdBytes = uuidToBytes(key.keyId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
  cipher.setAAD(Buffer.concat([keyIdBytes, canonicalContext(context)]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([CIPHERTEXT_VERSION]), keyIdBytes, iv, cipher.getAuthTag(), ciphertext]);
};

const INVALID_CIPHERTEXT = () => new KmsError('InvalidCiphertextException', '');

const open = (store: KeyStore, ciphertextBlob: Buffer, context: unknown, requestedKeyId?: string) => {
  if (ciphertextBlob.length <= HEADER_BYTES || ciphertextBlob[0] !== CIPHERTEXT_VERSION)
    throw INVALID_CIPHERTEXT();
  const keyIdBytes = ciphertextBlob.subarray(1, 1 + UUID_BYTES);
  let key: StoredKey;
  try {
    key = store.find(bytesToUuid(keyIdBytes));
  } catch {
    throw INVALID_CIPHERTEXT();
  }
  if (requestedKeyId !== undefined && store.find(requestedKeyId).keyId !== key.keyId) {
    throw new KmsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a KMS key that can perform this operation.',
    );
  }
  requireUsage(key, 'ENCRYPT_DECRYPT', 'Decrypt');
  const ivStart = 1 + UUID_BYTES;
  const iv = ciphertextBlob.subarray(ivStart, ivStart + IV_BYTES);
  const tag = ciphertextBlob.subarray(ivStart + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
  decipher.setAAD(Buffer.concat([keyIdBytes, canonicalContext(context)]));
  decipher.setAuthTag(tag);
  try {
    const plaintext = Buffer.concat([
      decipher.update(ciphertextBlob.subarray(HEADER_BYTES)),
      decipher.final(),
    ]);
    return { key, plaintext };
  } catch {
    // Wrong encryption context (or a tampered blob): KMS answers with an empty-message InvalidCiphertext.
    throw INVALID_CIPHERTEXT();
  }
};

const mac = (key: StoredKey, input: Record<string, unknown>) => {
  requireUsage(key, 'GENERATE_VERIFY_MAC', 'GenerateMac');
  if (input.MacAlgorithm !== 'HMAC_SHA_256') {
    throw new KmsError(
      'InvalidKeyUsageException',
      `MacAlgorithm ${String(input.MacAlgorithm)} is not valid for ${key.arn}.`,
    );
  }
  const message = blob(input, 'Message') as Buffer;
  if (message.length === 0 || message.length > MAX_PLAINTEXT_BYTES) {
    throw new KmsError('ValidationException', `Message must be 1 to ${MAX_PLAINTEXT_BYTES} bytes.`);
  }
  return createHmac('sha256', Buffer.from(key.material, 'base64')).update(message).digest();
};

const keyMetadata = (key: StoredKey) => ({
  AWSAccountId: LOCAL_ACCOUNT_ID,
  KeyId: key.keyId,
  Arn: key.arn,
  CreationDate: key.creationDate,
  Enabled: true,
  Description: key.description,
  KeyUsage: key.keyUsage,
  KeyState: 'Enabled',
  Origin: 'AWS_KMS',
  KeyManager: 'CUSTOMER',
  KeySpec: key.keySpec,
  CustomerMasterKeySpec: key.keySpec,
  MultiRegion: false,
  ...(key.keyUsage === 'ENCRYPT_DECRYPT'
    ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }
    : { MacAlgorithms: ['HMAC_SHA_256'] }),
});

type Operation = (input: Record<string, unknown>) => Promise<unknown> | unknown;

const operations = (store: KeyStore): Record<string, Operation> => ({
  CreateKey: async (input) => {
    const keyUsage = (input.KeyUsage ?? 'ENCRYPT_DECRYPT') as string;
    const keySpec = (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as string;
    const supported =
      (keyUsage === 'ENCRYPT_DECRYPT' && keySpec === 'SYMMETRIC_DEFAULT') ||
      (keyUsage === 'GENERATE_VERIFY_MAC' && keySpec === 'HMAC_256');
    if (!supported) {
      throw new KmsError(
        'UnsupportedOperationException',
        `The local KMS supports SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT and HMAC_256/GENERATE_VERIFY_MAC keys, not ${keySpec}/${keyUsage}.`,
      );
    }
    const description = typeof input.Description === 'string' ? input.Description : '';
    return { KeyMetadata: keyMetadata(await store.create(keyUsage as KeyUsage, description)) };
  },

  DescribeKey: (input) => ({ KeyMetadata: keyMetadata(store.find(requiredString(input, 'KeyId'))) }),

  GenerateDataKey: (input) => {
    const key = store.find(requiredString(input, 'KeyId'));
    requireUsage(key, 'ENCRYPT_DECRYPT', 'GenerateDataKey');
    const bytes =
      typeof input.NumberOfBytes === 'number'
        ? input.NumberOfBytes
        : input.KeySpec === 'AES_256'
          ? 32
          : input.KeySpec === 'AES_128'
            ? 16
            : undefined;
    if (bytes === undefined || !Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
      throw new KmsError(
        'ValidationException',
        'Specify KeySpec (AES_256 or AES_128) or NumberOfBytes (1-1024).',
      );
    }
    const plaintext = randomBytes(bytes);
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      CiphertextBlob: seal(key, plaintext, input.EncryptionContext).toString('base64'),
    };
  },

  Encrypt: (input) => {
    const key = store.find(requiredString(input, 'KeyId'));
    requireUsage(key, 'ENCRYPT_DECRYPT', 'Encrypt');
    const plaintext = blob(input, 'Plaintext') as Buffer;
    return {
      KeyId: key.arn,
      CiphertextBlob: seal(key, plaintext, input.EncryptionContext).toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  },

  Decrypt: (input) => {
    const requested = typeof input.KeyId === 'string' ? input.KeyId : undefined;
    const { key, plaintext } = open(
      store,
      blob(input, 'CiphertextBlob') as Buffer,
      input.EncryptionContext,
      requested,
    );
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  },

  GenerateMac: (input) => {
    const key = store.find(requiredString(input, 'KeyId'));
    return { KeyId: key.arn, Mac: mac(key, input).toString('base64'), MacAlgorithm: 'HMAC_SHA_256' };
  },

  VerifyMac: (input) => {
    const key = store.find(requiredString(input, 'KeyId'));
    const expected = mac(key, input);
    const given = blob(input, 'Mac') as Buffer;
    // KMS reports a wrong MAC as an error, never as MacValid: false.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new KmsError('KMSInvalidMacException', '');
    }
    return { KeyId: key.arn, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' };
  },
});

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new KmsError('ValidationException', 'Request too large.', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

const send = (response: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
};

/** Starts the local KMS on a loopback port. Keys are created through CreateKey (see local/bootstrap.ts). */
export const start = async (options: KmsOptions): Promise<RunningEmulator> => {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const store = new KeyStore(join(dataDir, 'keys.json'));
  await store.load();
  const handlers = operations(store);

  const server = createServer((request, response) => {
    void (async () => {
      try {
        const target = request.headers['x-amz-target'];
        const operation =
          typeof target === 'string' && target.startsWith('TrentService.') ? target.slice(13) : '';
        const handler = Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
        if (request.method !== 'POST' || !handler) {
          throw new KmsError(
            'UnknownOperationException',
            `Operation '${operation}' is not supported locally.`,
          );
        }
        let input: unknown;
        try {
          const raw = (await readBody(request)).toString('utf8');
          input = raw.length === 0 ? {} : JSON.parse(raw);
        } catch (error) {
          if (error instanceof KmsError) throw error;
          throw new KmsError('SerializationException', 'Malformed JSON body.');
        }
        if (typeof input !== 'object' || input === null)
          throw new KmsError('SerializationException', 'Expected an object.');
        send(response, 200, await handler(input as Record<string, unknown>));
      } catch (error) {
        const known =
          error instanceof KmsError ? error : new KmsError('KMSInternalException', 'Internal error.', 500);
        if (!(error instanceof KmsError)) console.error('[kms] internal error', error);
        send(response, known.status, { __type: known.type, message: known.message });
      }
    })();
  });

  const actualPort = await listenOn(server, LOOPBACK, {
    port: options.port,
    preferred: options.preferredPort,
  });

  return {
    name: 'kms',
    endpoint: `http://${LOOPBACK}:${actualPort}`,
    port: actualPort,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
};
