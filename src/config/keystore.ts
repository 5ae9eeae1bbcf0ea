import { createDecipheriv, pbkdf2Sync, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { UserInputError } from '../errors.js';

interface KeystoreV3 {
  version: number;
  address?: string;
  crypto: {
    cipher: string;
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: { dklen: number; salt: string; n?: number; r?: number; p?: number; c?: number; prf?: string };
    mac: string;
  };
}

function deriveKey(file: string, params: KeystoreV3['crypto'], password: string): Buffer {
  const { kdf, kdfparams } = params;
  const salt = Buffer.from(kdfparams.salt, 'hex');
  if (kdf === 'scrypt' && kdfparams.n && kdfparams.r && kdfparams.p) {
    const { n: N, r, p } = kdfparams;
    return scryptSync(password, salt, kdfparams.dklen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  }
  if (kdf === 'pbkdf2' && kdfparams.c && kdfparams.prf === 'hmac-sha256') {
    return pbkdf2Sync(password, salt, kdfparams.c, kdfparams.dklen, 'sha256');
  }
  throw new UserInputError(`${file}: unsupported keystore key derivation "${kdf}"; use a scrypt or pbkdf2 (hmac-sha256) v3 keystore`);
}

/**
 * Decrypts a Web3 Secret Storage (v3) keystore and returns the private key as 0x-hex.
 * A wrong password fails the MAC check and is reported without revealing anything else.
 */
export function decryptKeystore(file: string, password: string): { privateKey: string; address?: string } {
  let keystore: KeystoreV3;
  try {
    keystore = JSON.parse(readFileSync(file, 'utf8')) as KeystoreV3;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'not a JSON keystore';
    throw new UserInputError(`${file}: ${reason}; HL_KEYSTORE must name a v3 keystore file`);
  }
  const params = keystore.crypto;
  if (keystore.version !== 3 || !params?.ciphertext || !params.cipherparams?.iv || !params.kdfparams?.salt) {
    throw new UserInputError(`${file}: not a v3 keystore (missing version 3 or crypto fields)`);
  }
  if (params.cipher !== 'aes-128-ctr') {
    throw new UserInputError(`${file}: unsupported keystore cipher "${params.cipher}"; expected aes-128-ctr`);
  }
  const derived = deriveKey(file, params, password);
  const ciphertext = Buffer.from(params.ciphertext, 'hex');
  const mac = Buffer.from(keccak_256(Buffer.concat([derived.subarray(16, 32), ciphertext])));
  const expected = Buffer.from(params.mac, 'hex');
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new UserInputError(`${file}: wrong keystore password (HL_KEYSTORE_PASSWORD), or the file is damaged`);
  }
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), Buffer.from(params.cipherparams.iv, 'hex'));
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return { privateKey: `0x${key.toString('hex')}`, ...(keystore.address ? { address: `0x${keystore.address.replace(/^0x/, '').toLowerCase()}` } : {}) };
}
