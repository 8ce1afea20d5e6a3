// Dredd hooks: run the OpenAPI document's examples against a live Sparrow (scripts/dredd/run starts one).
//
// Dredd makes one transaction per documented response; only the 2xx ones can be produced on demand by a client,
// so the others are skipped (the Go conformance tests check every error response the test suite sees). Before
// each transaction the hooks sign in, and give the example's call id a real call in the state the operation
// needs (pending, in progress, completed); webhook examples are signed with the secrets the runner configured.
const hooks = require('hooks');
const crypto = require('crypto');

const base = process.env.SPARROW_URL;
const clerkSecret = process.env.CLERK_WEBHOOK_SECRET;
const elevenSecret = process.env.ELEVENLABS_WEBHOOK_SECRET;
const exampleCall = '0193a1f0-7c1e-7d2a-9b3c-4d5e6f708192';
const preset = '82aa6be5-4115-4fa0-b3c7-2c7b4e7533f1';
let token = '';

async function api(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: {authorization: 'Bearer ' + token, 'content-type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function call(state) {
  const {id} = await api('POST', '/api/calls', {mode: 'discovery', personaId: preset});
  if (state === 'pending') return id;
  await api('PATCH', '/api/calls/' + id, {status: 'in_progress', startedAt: new Date().toISOString()});
  await api('POST', `/api/calls/${id}/transcript`, {entries: [
    {role: 'user', content: 'Hi Maya, this is Sam from Routewise. How do you schedule store staff today?', timestampMs: 0},
    {role: 'assistant', content: 'Mostly spreadsheets, and it takes me hours every week.', timestampMs: 4000},
  ]});
  if (state === 'in_progress') return id;
  await api('POST', `/api/calls/${id}/end`, {reason: 'user_ended'});
  return id;
}

// The state of call each operation needs, by method and path template.
const needs = {
  'PATCH /api/calls/{id}': 'pending',
  'POST /api/calls/start': 'pending',
  'POST /api/calls/{id}/end': 'in_progress',
  'POST /api/calls/{id}/transcript': 'in_progress',
  'POST /api/calls/{id}/turns': 'in_progress',
  'GET /api/calls/{id}': 'completed',
  'GET /api/calls/{id}/score': 'completed',
  'GET /api/calls/{id}/events': 'completed',
  'GET /api/calls/{id}/transcript': 'completed',
  'POST /api/calls/{id}/stream-token': 'in_progress',
};

function template(t) { return t.origin.resourceName.replace(/\{\?.*\}$/, ''); }

hooks.beforeAll(async (transactions, done) => {
  try {
    const res = await fetch(base + '/api/dev/session', {method: 'POST', headers: {'content-type': 'application/json'},
      body: JSON.stringify({email: 'dredd@example.com', fullName: 'Dredd'})});
    token = (await res.json()).token;
    done();
  } catch (e) { done(e); }
});

hooks.beforeEach(async (t, done) => {
  try {
    const status = Number(t.expected.statusCode);
    const path = template(t);
    if (status < 200 || status > 299) {
      t.skip = true;
      return done();
    }
    if (path === '/api/calls/{id}/stream') { // an endless event stream: checked by the Go stream tests
      t.skip = true;
      return done();
    }
    t.request.headers['Authorization'] = 'Bearer ' + token;
    const key = t.request.method + ' ' + path;
    if (path === '/api/personas/{id}') t.fullPath = t.fullPath.replace(exampleCall, preset);
    if (needs[key]) {
      const id = await call(needs[key]);
      t.fullPath = t.fullPath.replace(exampleCall, id);
      if (t.request.body) t.request.body = t.request.body.replace(exampleCall, id);
      if (key === 'PATCH /api/calls/{id}') {
        t.request.body = JSON.stringify({status: 'in_progress', startedAt: new Date().toISOString()});
      }
    }
    if (path === '/api/webhooks/clerk') signClerk(t);
    if (path === '/api/webhooks/elevenlabs') {
      const id = await call('in_progress');
      const body = JSON.parse(t.request.body);
      body.data.conversation_initiation_client_data.dynamic_variables.sparrow_call_id = id;
      body.data.conversation_id = 'conv_' + id.replace(/-/g, '');
      body.event_timestamp = Math.floor(Date.now() / 1000);
      body.data.metadata.start_time_unix_secs = Math.floor(Date.now() / 1000) - 100;
      t.request.body = JSON.stringify(body);
      signElevenLabs(t);
    }
    if (t.request.headers['Content-Length'] !== undefined) {
      t.request.headers['Content-Length'] = String(Buffer.byteLength(t.request.body || ''));
    }
    done();
  } catch (e) { done(e); }
});

function signClerk(t) {
  const body = JSON.parse(t.request.body);
  body.data.id = 'user_dredd' + crypto.randomBytes(6).toString('hex');
  body.data.updated_at = body.data.created_at = Date.now();
  t.request.body = JSON.stringify(body);
  const id = 'msg_' + crypto.randomBytes(8).toString('hex');
  const ts = Math.floor(Date.now() / 1000).toString();
  const key = Buffer.from(clerkSecret.replace(/^whsec_/, ''), 'base64');
  const sig = crypto.createHmac('sha256', key).update(`${id}.${ts}.${t.request.body}`).digest('base64');
  Object.assign(t.request.headers, {'svix-id': id, 'svix-timestamp': ts, 'svix-signature': 'v1,' + sig});
}

function signElevenLabs(t) {
  const ts = Math.floor(Date.now() / 1000);
  const sig = crypto.createHmac('sha256', elevenSecret).update(`${ts}.${t.request.body}`).digest('hex');
  t.request.headers['ElevenLabs-Signature'] = `t=${ts},v0=${sig}`;
}
