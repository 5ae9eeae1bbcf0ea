import { inspect } from 'node:util';
import { UserInputError } from '../errors.js';
import { decryptKeystore } from './keystore.js';

const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

type SecretSource = 'HL_PRIVATE_KEY' | 'HL_KEYSTORE' | 'none';

/**
 * The signing key and account addresses. The key never leaves this object by accident:
 * JSON, util.inspect and String() all show a redacted form.
 */
export class Secrets {
  readonly #privateKey: string | undefined;
  readonly source: SecretSource;
  readonly accountAddress: string | undefined;
  readonly vaultAddress: string | undefined;

  constructor(privateKey: string | undefined, source: SecretSource, accountAddress?: string, vaultAddress?: string) {
    this.#privateKey = privateKey;
    this.source = source;
    this.accountAddress = accountAddress;
    this.vaultAddress = vaultAddress;
  }

  get hasPrivateKey(): boolean {
    return this.#privateKey !== undefined;
  }

  /** The key for the signer only; never log or store what this returns. */
  revealPrivateKey(): string {
    if (!this.#privateKey) throw new UserInputError('no signing key: set HL_PRIVATE_KEY, or HL_KEYSTORE and HL_KEYSTORE_PASSWORD');
    return this.#privateKey;
  }

  toJSON(): Record<string, string | null> {
    return {
      privateKey: this.#privateKey ? `set (from ${this.source}, redacted)` : 'not set',
      accountAddress: this.accountAddress ?? null,
      vaultAddress: this.vaultAddress ?? null,
    };
  }

  toString(): string {
    return JSON.stringify(this.toJSON());
  }

  [inspect.custom](): string {
    return `Secrets ${this.toString()}`;
  }
}

function address(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!ADDRESS.test(value)) throw new UserInputError(`${name}: expected an address, 0x followed by 40 hex digits`);
  return value.toLowerCase();
}

/** Reads secrets from the environment only (HL_PRIVATE_KEY, or HL_KEYSTORE + HL_KEYSTORE_PASSWORD). */
export function loadSecrets(env: NodeJS.ProcessEnv = process.env): Secrets {
  const accountAddress = address(env, 'HL_ACCOUNT_ADDRESS');
  const vaultAddress = address(env, 'HL_VAULT_ADDRESS');
  const rawKey = env.HL_PRIVATE_KEY?.trim();
  const keystore = env.HL_KEYSTORE?.trim();
  if (rawKey && keystore) throw new UserInputError('HL_PRIVATE_KEY and HL_KEYSTORE are both set; set only one');
  if (rawKey) {
    if (!PRIVATE_KEY.test(rawKey)) throw new UserInputError('HL_PRIVATE_KEY: expected 64 hex digits (optionally 0x-prefixed); the value is not shown');
    const key = rawKey.startsWith('0x') ? rawKey.toLowerCase() : `0x${rawKey.toLowerCase()}`;
    return new Secrets(key, 'HL_PRIVATE_KEY', accountAddress, vaultAddress);
  }
  if (keystore) {
    const password = env.HL_KEYSTORE_PASSWORD;
    if (password === undefined) throw new UserInputError('HL_KEYSTORE is set but HL_KEYSTORE_PASSWORD is not; set the keystore password in the environment');
    const decrypted = decryptKeystore(keystore, password);
    return new Secrets(decrypted.privateKey, 'HL_KEYSTORE', accountAddress ?? decrypted.address, vaultAddress);
  }
  return new Secrets(undefined, 'none', accountAddress, vaultAddress);
}

/** Request budgets per minute from HL_WS_CAPACITY_PER_MIN and HL_REST_CAPACITY_PER_MIN. */
export interface RateBudgets {
  readonly wsPerMinute: number;
  readonly restPerMinute: number;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new UserInputError(`${name}: expected a positive integer, got "${raw}"`);
  return value;
}

export function loadRateBudgets(env: NodeJS.ProcessEnv = process.env): RateBudgets {
  return {
    wsPerMinute: positiveInteger(env, 'HL_WS_CAPACITY_PER_MIN', 2000),
    restPerMinute: positiveInteger(env, 'HL_REST_CAPACITY_PER_MIN', 1000),
  };
}
