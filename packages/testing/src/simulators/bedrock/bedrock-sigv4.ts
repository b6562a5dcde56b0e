import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RecordedRequest } from '../framework/index.js';

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** What a SigV4 `Authorization` header says about who signed, and where for. */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses a SigV4 `Authorization` header; undefined when it is not one. */
export function parseSigV4Authorization(value: string | undefined): SigV4Scope | undefined {
  const match = value ? authorizationPattern.exec(value) : null;
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId as string,
    date: date as string,
    region: region as string,
    service: service as string,
    signedHeaders: (signedHeaders as string).split(';'),
    signature: signature as string,
  };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 escaping, as SigV4 wants it. */
function rfc3986(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerText(request: RecordedRequest, name: string): string {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text.trim().replace(/\s+/g, ' ');
}

/**
 * Recomputes the request's SigV4 signature with the secret key and compares.
 * Services other than S3 escape the (already escaped) path once more, as the SDK does.
 */
export function verifySigV4(request: RecordedRequest, scope: SigV4Scope, secretAccessKey: string): boolean {
  const amzDate = headerText(request, 'x-amz-date');
  if (!amzDate.startsWith(scope.date)) return false;
  const canonicalUri = request.path
    .split('/')
    .map((segment) => rfc3986(segment))
    .join('/');
  const query = [...request.query.entries()]
    .map(([name, value]) => [rfc3986(name), rfc3986(value)])
    .sort(([a, x], [b, y]) =>
      a === b ? ((x as string) < (y as string) ? -1 : 1) : (a as string) < (b as string) ? -1 : 1,
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = scope.signedHeaders.map((name) => `${name}:${headerText(request, name)}\n`).join('');
  const payloadHash = headerText(request, 'x-amz-content-sha256') || sha256(request.body);
  const canonicalRequest = [
    request.method,
    canonicalUri,
    query,
    canonicalHeaders,
    scope.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, scope.date);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const actual = Buffer.from(scope.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
