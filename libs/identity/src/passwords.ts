import * as argon2 from 'argon2';

// OWASP's argon2id baseline (19 MiB, t=2, p=1): ~25 ms here, affordable per login.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the same time as a real check when the email is unknown (no account enumeration). */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('carepact-unknown-account-placeholder');
  await verifyPassword(await dummy, password);
}
