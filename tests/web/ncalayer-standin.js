#!/usr/bin/env node
// A stand-in for NCALayer, the NCA RK desktop signer, for the browser tests
// and demos: it listens on loopback, speaks the same WebSocket protocol as
// NCALayer (the greeting, kz.gov.pki.knca.basics `sign`, and the older
// kz.gov.pki.knca.commonUtils calls) and signs by running
// `qujat sign --format cms` with a test key, so the page's own code is what
// the tests exercise. docs/web.md describes the protocol and this program.
//
//   node ncalayer-standin.js --qujat PATH --sign-key P12 --auth-key P12 \
//        --password-file FILE [--port 0] [--mode sign|cancel|auth-key|no-basics]
//
// The key password is read from a file that only its owner may read (0600),
// or from standard input with --password-file -; it reaches `qujat sign` as a
// file too, never on a command line. The program prints
// "ncalayer-standin listening on ws://127.0.0.1:PORT/" once it accepts.
//
// What it answers can be changed while it runs (the tests do):
//   GET http://127.0.0.1:PORT/control?mode=cancel     the user cancels
//   GET http://127.0.0.1:PORT/control?mode=auth-key   the user picks the AUTH key
//   GET http://127.0.0.1:PORT/control?mode=no-basics  an NCALayer without the basics module
//   GET http://127.0.0.1:PORT/control?mode=sign       back to normal
//   GET http://127.0.0.1:PORT/control?key=other.p12   sign with another key from now on
//   GET http://127.0.0.1:PORT/requests                the requests seen so far (JSON)
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { execFile } = require('child_process');
const { WebSocketServer } = require('ws');

const SIGNING_EKU = '1.3.6.1.5.5.7.3.4';
const AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const MODES = new Set(['sign', 'cancel', 'auth-key', 'no-basics']);

function parseArgs(argv) {
  const options = { port: 0, mode: 'sign', host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    const value = argv[i + 1];
    const take = () => {
      if (value === undefined) throw new Error(`${name} needs a value`);
      i += 1;
      return value;
    };
    switch (name) {
      case '--qujat': options.qujat = take(); break;
      case '--sign-key': options.signKey = take(); break;
      case '--auth-key': options.authKey = take(); break;
      case '--password-file': options.passwordFile = take(); break;
      case '--port': options.port = Number(take()); break;
      case '--mode': options.mode = take(); break;
      default: throw new Error(`unknown option ${name}`);
    }
  }
  for (const required of ['qujat', 'signKey', 'passwordFile']) {
    if (!options[required]) throw new Error(`--${required.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`);
  }
  if (!MODES.has(options.mode)) throw new Error(`--mode must be one of ${[...MODES].join(', ')}`);
  return options;
}

// The password stays in a private temporary folder, mode 0600, for the
// lifetime of the process; `qujat sign` reads it from there.
function privatePasswordFile(source) {
  let password;
  if (source === '-') {
    password = fs.readFileSync(0, 'utf8');
  } else {
    const mode = fs.statSync(source).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new Error(`${source} may be read by others (mode ${mode.toString(8)}); make it 0600`);
    }
    password = fs.readFileSync(source, 'utf8');
  }
  password = password.split('\n')[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncalayer-standin-'));
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'password');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { dir, file };
}

function signCms(options, secret, key, data, detached) {
  return new Promise((resolve, reject) => {
    const work = fs.mkdtempSync(path.join(secret.dir, 'sign-'));
    const input = path.join(work, 'data.bin');
    const output = path.join(work, 'data.cms');
    fs.writeFileSync(input, data);
    const args = ['sign', input, '--format', 'cms', '--key', key, '--password-file', secret.file, '-o', output];
    if (detached) args.push('--detached');
    execFile(options.qujat, args, { timeout: 60000 }, (error, stdout, stderr) => {
      try {
        if (error) {
          reject(new Error(`qujat sign failed: ${stderr || error.message}`));
          return;
        }
        resolve(fs.readFileSync(output).toString('base64'));
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });
  });
}

class StandIn {
  constructor(options, secret) {
    this.options = options;
    this.secret = secret;
    this.mode = options.mode;
    this.signKey = options.signKey;
    this.requests = [];
  }

  // The key the "user" picks: the AUTH key when asked for one, or when told
  // to pick it (mode auth-key) whatever the page asked for.
  keyFor(extKeyUsageOids, keyType) {
    const wantsAuth = (extKeyUsageOids || []).includes(AUTH_EKU) || keyType === 'AUTHENTICATION';
    if (this.mode === 'auth-key' || wantsAuth) {
      if (!this.options.authKey) throw new Error('no AUTH key was given (--auth-key)');
      return this.options.authKey;
    }
    return this.signKey;
  }

  async answer(message) {
    let request;
    try {
      request = JSON.parse(message);
    } catch (e) {
      return { status: false, code: '400', message: 'bad.request', details: 'not JSON' };
    }
    this.requests.push(request);
    if (request.module === 'kz.gov.pki.knca.basics') return this.basics(request);
    if (request.module === 'kz.gov.pki.knca.commonUtils') return this.commonUtils(request);
    return { status: false, code: '500', message: 'module.not.found', details: String(request.module) };
  }

  // kz.gov.pki.knca.basics: {status, body: {result: [...]}}; a cancelled
  // dialog is a success without `result`; a failure is status false.
  async basics(request) {
    if (this.mode === 'no-basics') {
      return { status: false, code: '500', message: 'module.not.found', details: 'kz.gov.pki.knca.basics' };
    }
    if (request.method !== 'sign') return { status: false, code: '500', message: 'method.not.found', details: request.method };
    const args = request.args || {};
    if (args.format !== 'cms') return { status: false, code: '500', message: 'format.not.supported', details: String(args.format) };
    if (this.mode === 'cancel') return { status: true, body: {} };
    const params = args.signingParams || {};
    const data = params.decode === false ? Buffer.from(String(args.data), 'utf8') : Buffer.from(String(args.data), 'base64');
    const detached = params.encapsulate === false;
    const signerOids = (args.signerParams && args.signerParams.extKeyUsageOids) || [];
    const cms = await signCms(this.options, this.secret, this.keyFor(signerOids), data, detached);
    return { status: true, body: { result: [cms] } };
  }

  // kz.gov.pki.knca.commonUtils: {code: "200", responseObject} or
  // {code: "500", message}; a cancelled dialog is "action.canceled".
  async commonUtils(request) {
    const args = request.args || [];
    switch (request.method) {
      case 'getActiveTokens':
        return { code: '200', responseObject: [] };
      case 'createCAdESFromBase64':
      case 'createCMSSignatureFromBase64': {
        if (this.mode === 'cancel') return { code: '500', message: 'action.canceled' };
        const [, keyType, data, attach] = args;
        const cms = await signCms(this.options, this.secret, this.keyFor([], keyType), Buffer.from(String(data), 'base64'), !attach);
        return { code: '200', responseObject: cms };
      }
      default:
        return { code: '500', message: 'method.not.found' };
    }
  }

  control(url, response) {
    const mode = url.searchParams.get('mode');
    const key = url.searchParams.get('key');
    if (mode !== null) {
      if (!MODES.has(mode)) {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end(`mode must be one of ${[...MODES].join(', ')}\n`);
        return;
      }
      this.mode = mode;
    }
    if (key !== null) this.signKey = key;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ mode: this.mode }));
  }
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const secret = privatePasswordFile(options.passwordFile);
  const standIn = new StandIn(options, secret);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname === '/control') {
      standIn.control(url, response);
    } else if (url.pathname === '/requests') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(standIn.requests));
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    // NCALayer greets every connection with its version.
    socket.send(JSON.stringify({ result: { version: '1.4' } }));
    socket.on('message', async (data) => {
      let reply;
      try {
        reply = await standIn.answer(data.toString());
      } catch (e) {
        reply = { status: false, code: '500', message: 'internal', details: e.message };
      }
      socket.send(JSON.stringify(reply));
    });
  });
  const cleanUp = () => fs.rmSync(secret.dir, { recursive: true, force: true });
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      wss.close();
      server.close();
      process.exit(0);
    });
  }
  server.listen(options.port, options.host, () => {
    process.stdout.write(`ncalayer-standin listening on ws://127.0.0.1:${server.address().port}/\n`);
  });
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`ncalayer-standin: ${e.message}\n`);
    process.exit(2);
  }
}

module.exports = { StandIn, parseArgs };
