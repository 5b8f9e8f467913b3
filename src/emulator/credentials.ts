// The emulator's credential table: the static pairs it was started with, plus temporary
// credentials it issued through its own STS AssumeRole (which carry a session token and an
// expiry). SigV4 verification looks keys up here.
import * as crypto from 'node:crypto';
import type { KnownCredential } from './sigv4';

export interface CredentialPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Principal {
  /** arn:aws:iam::ACCOUNT:user/NAME or arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  arn: string;
  userId: string;
  account: string;
}

interface CredentialRecord extends KnownCredential {
  accessKeyId: string;
  principal: Principal;
  /** Epoch ms; temporary credentials only. */
  expiresAt?: number;
  forcedExpired?: boolean;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  principal: Principal;
  assumedRoleId: string;
}

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(prefix: string, length: number): string {
  const bytes = crypto.randomBytes(length);
  let out = prefix;
  for (let i = 0; i < length; i++) out += ALNUM_UPPER[bytes[i] % ALNUM_UPPER.length];
  return out;
}

/** A fresh pair in AWS's format: AKIA + 16 characters, and a 40-character secret. */
export function generateCredentials(): CredentialPair {
  return {
    accessKeyId: randomId('AKIA', 16),
    secretAccessKey: crypto
      .randomBytes(30)
      .toString('base64')
      .replace(/[+/]/g, (c) => (c === '+' ? 'x' : 'y')),
  };
}

/** Parses `ACCESS_KEY:SECRET` (the secret may itself contain ':'). */
export function parseCredentialSpec(spec: string): CredentialPair {
  const i = spec.indexOf(':');
  if (i <= 0 || i === spec.length - 1)
    throw new Error('credentials must look like ACCESS_KEY_ID:SECRET_ACCESS_KEY');
  const accessKeyId = spec.slice(0, i);
  const secretAccessKey = spec.slice(i + 1);
  if (!/^[A-Za-z0-9]{3,128}$/.test(accessKeyId))
    throw new Error('an access key id is 3 to 128 letters and digits');
  return { accessKeyId, secretAccessKey };
}

export class CredentialStore {
  private readonly records = new Map<string, CredentialRecord>();

  constructor(
    readonly accountId: string,
    statics: CredentialPair[],
    private readonly clock: () => number = Date.now,
  ) {
    statics.forEach((pair, i) => {
      const user = i === 0 ? 'emulator' : `emulator-${i + 1}`;
      this.records.set(pair.accessKeyId, {
        accessKeyId: pair.accessKeyId,
        secretAccessKey: pair.secretAccessKey,
        principal: {
          arn: `arn:aws:iam::${accountId}:user/${user}`,
          userId: `AIDA${crypto.createHash('sha256').update(pair.accessKeyId).digest('hex').slice(0, 17).toUpperCase()}`,
          account: accountId,
        },
      });
    });
  }

  /** The view SigV4 verification needs; computes natural expiry on each lookup. */
  lookup(accessKeyId: string): KnownCredential | undefined {
    const record = this.records.get(accessKeyId);
    if (!record) return undefined;
    const expired =
      record.forcedExpired === true || (record.expiresAt !== undefined && record.expiresAt <= this.clock());
    return { secretAccessKey: record.secretAccessKey, sessionToken: record.sessionToken, expired };
  }

  principal(accessKeyId: string): Principal | undefined {
    return this.records.get(accessKeyId)?.principal;
  }

  /** STS AssumeRole: temporary credentials for the role, valid for durationSeconds of wall time. */
  assumeRole(roleArn: string, sessionName: string, durationSeconds: number): IssuedCredentials {
    const roleName =
      roleArn
        .slice(roleArn.indexOf(':role/') + 6)
        .split('/')
        .pop() ?? 'role';
    const roleId = `AROA${crypto.createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;
    const accessKeyId = randomId('ASIA', 16);
    const secretAccessKey = crypto.randomBytes(30).toString('base64');
    const sessionToken = `EMU${crypto.randomBytes(96).toString('base64')}`;
    const expiresAt = this.clock() + durationSeconds * 1000;
    const principal: Principal = {
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${roleName}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
      account: this.accountId,
    };
    this.records.set(accessKeyId, { accessKeyId, secretAccessKey, sessionToken, expiresAt, principal });
    // Forget long-expired temporary keys so a long-running emulator does not grow without bound.
    for (const [id, r] of this.records) {
      if (r.expiresAt !== undefined && r.expiresAt < this.clock() - 3600_000) this.records.delete(id);
    }
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      expiration: new Date(expiresAt),
      principal,
      assumedRoleId: principal.userId,
    };
  }

  /** Admin: expire one key, or every temporary key when no id is given. Returns the ids expired. */
  expire(accessKeyId?: string): string[] {
    const done: string[] = [];
    for (const r of this.records.values()) {
      if (accessKeyId !== undefined ? r.accessKeyId === accessKeyId : r.sessionToken !== undefined) {
        r.forcedExpired = true;
        done.push(r.accessKeyId);
      }
    }
    return done;
  }

  /** Admin: undo forced expiry. */
  restore(accessKeyId?: string): void {
    for (const r of this.records.values()) {
      if (accessKeyId === undefined || r.accessKeyId === accessKeyId) r.forcedExpired = false;
    }
  }
}
