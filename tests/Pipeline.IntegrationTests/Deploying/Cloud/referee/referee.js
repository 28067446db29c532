// The cloud referee: the official SDKs, as someone else's reading of the AWS and Compute Engine APIs, for the tests'
// LOCAL FAKES of those clouds. One JSON request per stdin line, one JSON answer per stdout line (same id); requests are
// served concurrently, so a fake may ask for a signature check while an SDK call to that fake is waiting.
//   {id, op: "sigv4", method, path, query, headers, body, accessKeyId, secretAccessKey, sessionToken?}  -> {authorization}
//     the Authorization header @smithy/signature-v4 computes for that request (the headers it names, its x-amz-date; with a
//     session token, the x-amz-security-token header it adds and signs)
//   {id, op: "aws", service: "autoscaling"|"ec2"|"route53", command, input, endpoint, accessKeyId, secretAccessKey,
//     sessionToken?, region}
//     -> {output} (the SDK's deserialised answer) or {error: {name, message, fault}}
//   {id, op: "gcp", client, method, request, endpoint, token} -> {response} or {error: {code, message}}
//   {id, op: "cloudflare", method: "zones.list"|"dns.records.list"|..., args, baseURL, token}
//     -> {result (a list's page: its result and result_info)} or {error: {status, errors}}
'use strict';
const readline = require('node:readline');
const { SignatureV4 } = require('@smithy/signature-v4');
const { HttpRequest } = require('@smithy/protocol-http');
const { Sha256 } = require('@aws-crypto/sha256-js');
const autoscaling = require('@aws-sdk/client-auto-scaling');
const ec2 = require('@aws-sdk/client-ec2');
const route53 = require('@aws-sdk/client-route-53');
const Cloudflare = require('cloudflare');
const compute = require('@google-cloud/compute');
const { OAuth2Client } = require('google-auth-library');
const { GoogleError } = require('google-gax');

async function sigv4(r) {
  const auth = r.headers.authorization || r.headers.Authorization || '';
  const scope = /Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  const signed = /SignedHeaders=([^,\s]+)/.exec(auth);
  if (!scope || !signed) return { authorization: null };
  const names = signed[1].split(';');
  const headers = {};
  for (const [k, v] of Object.entries(r.headers)) if (names.includes(k.toLowerCase())) headers[k.toLowerCase()] = v;
  const amzDate = headers['x-amz-date'];
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const [hostname, port] = (headers.host || '').split(':');
  const request = new HttpRequest({ method: r.method, protocol: 'http:', hostname, port: port ? Number(port) : undefined,
    path: r.path, query: r.query || {}, headers, body: r.body });
  const signer = new SignatureV4({ service: scope[3], region: scope[2], sha256: Sha256, applyChecksum: false,
    credentials: { accessKeyId: r.accessKeyId, secretAccessKey: r.secretAccessKey, sessionToken: r.sessionToken || undefined } });
  const out = await signer.sign(request, { signingDate, signingRegion: scope[2], signingService: scope[3] });
  return { authorization: out.headers.authorization };
}

async function aws(r) {
  const sdk = { ec2, autoscaling, route53 }[r.service];
  const Client = { ec2: ec2.EC2Client, autoscaling: autoscaling.AutoScalingClient, route53: route53.Route53Client }[r.service];
  const Command = sdk[`${r.command}Command`];
  if (!Command) throw new Error(`the SDK has no ${r.command} command`);
  const client = new Client({ region: r.region, endpoint: r.endpoint, maxAttempts: 1,
    credentials: { accessKeyId: r.accessKeyId, secretAccessKey: r.secretAccessKey, sessionToken: r.sessionToken || undefined } });
  try {
    const output = await client.send(new Command(r.input));
    delete output.$metadata;
    return { output };
  } catch (e) {
    if (!e.$metadata) throw e;
    return { error: { name: e.name, message: e.message, fault: e.$fault, status: e.$metadata.httpStatusCode } };
  } finally {
    client.destroy();
  }
}

async function gcp(r) {
  const Client = compute[r.client];
  if (!Client) throw new Error(`@google-cloud/compute has no ${r.client}`);
  const url = new URL(r.endpoint);
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: r.token, expiry_date: Date.now() + 3600_000 });
  const client = new Client({ fallback: true, apiEndpoint: url.hostname, port: Number(url.port), protocol: 'http', authClient });
  try {
    const [response] = await client[r.method](r.request, r.method.startsWith('list') ? { autoPaginate: false } : undefined);
    // insert/patch/... answer an ExtendedOperation around the Operation resource
    return { response: response && response.latestResponse ? response.latestResponse : response };
  } catch (e) {
    if (e.code === undefined) throw e;
    // The transport hands an HTTP error over with Google's JSON error as its message; the library's own decoder reads it.
    let parsed = e;
    try { parsed = GoogleError.parseHttpError(JSON.parse(e.message)); } catch (_) { /* not JSON: keep the error as it came */ }
    return { error: { code: parsed.code, message: parsed.message, http: e.status ?? e.code } };
  } finally {
    await client.close();
  }
}

async function cloudflare(r) {
  const client = new Cloudflare({ apiToken: r.token, baseURL: r.baseURL, maxRetries: 0 });
  const path = r.method.split('.');
  const owner = path.slice(0, -1).reduce((o, k) => o[k], client);
  try {
    const answer = await owner[path[path.length - 1]](...r.args);
    // a list answers a page: its records and Cloudflare's result_info, as the library parsed them
    return { result: answer && answer.result_info !== undefined ? { result: answer.result, result_info: answer.result_info } : answer };
  } catch (e) {
    if (!(e instanceof Cloudflare.APIError) || e.status === undefined) throw e;
    return { error: { status: e.status, errors: e.errors, name: e.constructor.name } };
  }
}

const ops = { sigv4, aws, gcp, cloudflare };
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  let id = null;
  try {
    const request = JSON.parse(line);
    id = request.id;
    const answer = await ops[request.op](request);
    process.stdout.write(JSON.stringify({ id, ...answer }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ id, failure: String(e && e.stack || e) }) + '\n');
  }
});
