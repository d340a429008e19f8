// Writes tests/cases/dpop_jwk.json: an EC P-256 public JWK and its RFC 7638 thumbprint as
// jose (panva) computes it, for src/core/dpop/mod.rs's tests.
import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = publicKey.export({ format: 'jwk' });
const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
console.log(JSON.stringify({ jwk, thumbprint }, null, 2));
