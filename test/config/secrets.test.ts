import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRateBudgets, loadSecrets } from '../../src/config/secrets.js';

const key = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const dir = mkdtempSync(join(tmpdir(), 'hypermm-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pbkdf2 test vector of the Web3 Secret Storage definition (password "testpassword"). */
const specVector = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};

function scryptKeystore(privateKeyHex: string, password: string): object {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(privateKeyHex.slice(2), 'hex')), cipher.final()]);
  const mac = Buffer.from(keccak_256(Buffer.concat([derived.subarray(16, 32), ciphertext])));
  return {
    version: 3,
    address: '90f8bf6a479f320ead074411a4b0e7944ea8c9c1',
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      kdf: 'scrypt',
      kdfparams: { dklen: 32, n: 1024, r: 8, p: 1, salt: salt.toString('hex') },
      mac: mac.toString('hex'),
    },
  };
}

describe('loadSecrets', () => {
  it('reads the key from HL_PRIVATE_KEY and never shows it', () => {
    const secrets = loadSecrets({ HL_PRIVATE_KEY: key.slice(2), HL_ACCOUNT_ADDRESS: '0xABCDEFabcdef0123456789012345678901234567' });
    expect(secrets.revealPrivateKey()).toBe(key);
    expect(secrets.accountAddress).toBe('0xabcdefabcdef0123456789012345678901234567');
    for (const shown of [JSON.stringify(secrets), String(secrets), inspect(secrets), `${JSON.stringify({ secrets })}`]) {
      expect(shown).not.toContain(key.slice(2, 20));
      expect(shown).toContain('redacted');
    }
  });

  it('refuses a malformed key without echoing it', () => {
    expect(() => loadSecrets({ HL_PRIVATE_KEY: 'deadbeef' })).toThrow(/HL_PRIVATE_KEY: expected 64 hex digits.*not shown/);
    try {
      loadSecrets({ HL_PRIVATE_KEY: 'deadbeefcafe' });
    } catch (error) {
      expect((error as Error).message).not.toContain('deadbeefcafe');
    }
  });

  it('refuses a bad address naming the variable', () => {
    expect(() => loadSecrets({ HL_VAULT_ADDRESS: '0x123' })).toThrow('HL_VAULT_ADDRESS: expected an address');
  });

  it('decrypts the Web3 Secret Storage pbkdf2 test vector', () => {
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify(specVector));
    const secrets = loadSecrets({ HL_KEYSTORE: file, HL_KEYSTORE_PASSWORD: 'testpassword' });
    expect(secrets.revealPrivateKey()).toBe('0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d');
    expect(secrets.source).toBe('HL_KEYSTORE');
  });

  it('decrypts a scrypt keystore and takes its address', () => {
    const file = join(dir, 'scrypt.json');
    writeFileSync(file, JSON.stringify(scryptKeystore(key, 'hunter2')));
    const secrets = loadSecrets({ HL_KEYSTORE: file, HL_KEYSTORE_PASSWORD: 'hunter2' });
    expect(secrets.revealPrivateKey()).toBe(key);
    expect(secrets.accountAddress).toBe('0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1');
  });

  it('says when the keystore password is wrong or missing', () => {
    const file = join(dir, 'wrong.json');
    writeFileSync(file, JSON.stringify(scryptKeystore(key, 'right')));
    expect(() => loadSecrets({ HL_KEYSTORE: file, HL_KEYSTORE_PASSWORD: 'wrong' })).toThrow('wrong keystore password');
    expect(() => loadSecrets({ HL_KEYSTORE: file })).toThrow('HL_KEYSTORE_PASSWORD is not');
  });

  it('has no key when nothing is set', () => {
    const secrets = loadSecrets({});
    expect(secrets.hasPrivateKey).toBe(false);
    expect(() => secrets.revealPrivateKey()).toThrow('set HL_PRIVATE_KEY');
  });
});

describe('loadRateBudgets', () => {
  it('defaults to the seed values and reads the environment', () => {
    expect(loadRateBudgets({})).toEqual({ wsPerMinute: 2000, restPerMinute: 1000 });
    expect(loadRateBudgets({ HL_WS_CAPACITY_PER_MIN: '1500', HL_REST_CAPACITY_PER_MIN: '600' })).toEqual({
      wsPerMinute: 1500,
      restPerMinute: 600,
    });
    expect(() => loadRateBudgets({ HL_REST_CAPACITY_PER_MIN: 'lots' })).toThrow('HL_REST_CAPACITY_PER_MIN: expected a positive integer');
  });
});
