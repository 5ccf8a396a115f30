// What every browser test stands on (docs/web.md, "Browser tests"): a fresh
// test PKI and store, the stand-in NCALayer, `qujat serve` with a
// configuration that points the pages at the stand-in, headless Debian
// Chromium driven by puppeteer-core, and a screenshot per step under
// build/web-artifacts/. A missing browser, Node module or qujat binary is a
// failure, never a skip.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const SOURCE = process.env.QUJAT_SOURCE_DIR || path.resolve(__dirname, '../..');
const QUJAT = process.env.QUJAT_CLI || path.join(SOURCE, 'build/src/qujat');
const CHROMIUM = process.env.QUJAT_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.QUJAT_BROWSER_ARTIFACTS || path.join(SOURCE, 'build/web-artifacts');

// Loaded here so that a missing package fails the test with its name.
const puppeteer = require('puppeteer-core');

function requireTools() {
  assert.ok(fs.existsSync(QUJAT), `qujat is not built at ${QUJAT} (QUJAT_CLI)`);
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install chromium (scripts/deps)`);
}

function qujatJson(args) {
  return JSON.parse(execFileSync(QUJAT, args, { encoding: 'utf8' }));
}

// Starts a program and waits for the line that says it accepts connections.
function startProcess(command, args, pattern, name, logFile) {
  return new Promise((resolve, reject) => {
    // The tests' own QUJAT_* variables are not configuration overrides.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('QUJAT_')));
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const log = fs.createWriteStream(logFile);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${out}`)), 60000);
    child.stdout.on('data', (chunk) => {
      log.write(chunk);
      out += chunk;
      const match = pattern.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.stderr.on('data', (chunk) => log.write(chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it started; log: ${logFile}`));
    });
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) {
      resolve();
      return;
    }
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// Today at 10:00 in Almaty (before every cut-off), as the service's fixed clock.
function almatyMorning() {
  const almaty = new Date(Date.now() + 5 * 3600 * 1000);
  return `${almaty.toISOString().slice(0, 10)}T10:00:00+05:00`;
}

// The sample's dates are about 20 March 2026; the same application today
// has every date moved by as many days.
function shiftDates(value, days) {
  if (typeof value === 'string') {
    return value.replace(/\b(\d{4}-\d{2}-\d{2})(?=$|T)/, (date) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + days);
      return d.toISOString().slice(0, 10);
    });
  }
  if (Array.isArray(value)) return value.map((item) => shiftDates(item, days));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftDates(v, days)]));
  }
  return value;
}

class Stand {
  constructor(name) {
    this.name = name;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `qujat-web-${name}-`));
    this.artifacts = path.join(ARTIFACTS, name);
    fs.rmSync(this.artifacts, { recursive: true, force: true });
    fs.mkdirSync(this.artifacts, { recursive: true });
    this.step = 0;
  }

  async start() {
    requireTools();
    const { dir } = this;
    this.passwordFile = path.join(dir, 'key.pass');
    fs.writeFileSync(this.passwordFile, `${crypto.randomBytes(12).toString('hex')}\n`, { mode: 0o600 });
    this.pki = path.join(dir, 'pki');
    execFileSync(QUJAT, ['pki', 'make-test-pki', '--out', this.pki, '--password-file', this.passwordFile],
      { stdio: 'ignore' });
    this.key = (name) => path.join(this.pki, 'rsa', `${name}.p12`);
    const identity = (name) => qujatJson(['pki', 'show', '--json', path.join(this.pki, 'rsa', `${name}.cer`)])
      .certificate.identity;
    this.company = identity('first_head');
    this.person = identity('individual');
    this.officer = identity('officer');

    this.standin = await startProcess(process.execPath, [
      path.join(__dirname, 'ncalayer-standin.js'), '--qujat', QUJAT, '--sign-key', this.key('first_head'),
      '--auth-key', this.key('individual_auth'), '--password-file', this.passwordFile, '--port', '0',
    ], /listening on (ws:\/\/127\.0\.0\.1:(\d+)\/)/, 'the stand-in NCALayer', path.join(this.artifacts, 'standin.log'));
    this.ncalayerUrl = this.standin.match[1];
    this.standinPort = Number(this.standin.match[2]);

    const secret = path.join(dir, 'token.secret');
    fs.writeFileSync(secret, crypto.randomBytes(48), { mode: 0o600 });
    this.clock = almatyMorning();
    const config = path.join(dir, 'qujat.toml');
    fs.writeFileSync(config, [
      '[server]', 'listen = "127.0.0.1:0"', '',
      '[store]', `url = "sqlite:${path.join(dir, 'qujat.db')}"`, '',
      '[trust]', `anchors = ["${path.join(this.pki, 'trust')}"]`,
      `intermediates = ["${path.join(this.pki, 'rsa/ca.cer')}", "${path.join(this.pki, 'gost/ca.cer')}"]`,
      'revocation = "none"', '',
      '[issuer]', `key = "${this.key('officer')}"`, `password_file = "${this.passwordFile}"`,
      'body = { kk = "Өнеркәсіп комитеті", ru = "Комитет промышленности" }',
      'position = { kk = "Төрағаның орынбасары", ru = "Заместитель председателя" }',
      'full_name = "Министрликов Е. Т."', '',
      '[officers]', `"${this.officer.iin}" = ["officer", "head"]`, '',
      '[mfa]', 'endpoint = "http://127.0.0.1:9/mfa"', `certificate = "${path.join(this.pki, 'rsa/officer.cer')}"`, '',
      '[clock]', `fixed = "${this.clock}"`, '',
      '[auth]', `token_secret_file = "${secret}"`, '',
      '[web]', `ncalayer_url = "${this.ncalayerUrl}"`, '',
    ].join('\n'));
    this.server = await startProcess(QUJAT, ['serve', '--config', config], /listening on (http:\/\/[^\s]+)/,
      'qujat serve', path.join(this.artifacts, 'serve.log'));
    this.url = this.server.match[1];

    this.browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
    });
    return this;
  }

  async stop() {
    if (this.browser) await this.browser.close();
    if (this.server) await stopProcess(this.server.child);
    if (this.standin) await stopProcess(this.standin.child);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  async stopStandIn() {
    await stopProcess(this.standin.child);
  }

  // Tells the stand-in what the "user" does next.
  async standinControl(query) {
    const response = await fetch(`http://127.0.0.1:${this.standinPort}/control?${query}`);
    assert.equal(response.status, 200, await response.text());
  }

  // A browser of its own (cookies apart) at a phone's or a desk's width.
  async newPage(phone = false) {
    const context = await this.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(phone ? { width: 390, height: 844, isMobile: true, hasTouch: true }
      : { width: 1280, height: 900 });
    page.consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') page.consoleErrors.push(`${message.text()} (${message.location().url || page.url()})`);
    });
    page.on('pageerror', (error) => page.consoleErrors.push(String(error)));
    return page;
  }

  async shot(page, label) {
    this.step += 1;
    const file = path.join(this.artifacts, `${String(this.step).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  // The export licence application of the test company (its first head
  // signs), with its attached files written beside it.
  exportApplication(mutate) {
    const sample = JSON.parse(fs.readFileSync(path.join(SOURCE, 'samples/export-licence.json'), 'utf8'));
    delete sample.licence;
    const days = Math.round((Date.parse(this.clock) - Date.parse('2026-03-20T10:00:00+05:00')) / 86400000);
    const application = shiftDates(sample, days);
    application.applicant.bin = this.company.bin;
    application.flags = { ...application.flags, first_export_to_counterparty: false };
    for (const attachment of application.attachments) delete attachment.sha256;
    if (mutate) mutate(application);
    const folder = fs.mkdtempSync(path.join(this.dir, 'application-'));
    const json = path.join(folder, 'application.json');
    fs.writeFileSync(json, JSON.stringify(application, null, 2));
    const files = application.attachments.map((attachment, index) => {
      const file = path.join(folder, `${index}-${attachment.type}.pdf`);
      fs.writeFileSync(file, `%PDF-1.4\n% scan of ${attachment.type} ${attachment.number || ''} #${index}\n`);
      return file;
    });
    return { application, json, files };
  }

  // Language switch through the page's own link, then login through NCALayer.
  async login(page, lang, label) {
    await page.goto(`${this.url}/login`);
    const link = await page.$(`.languages a[data-lang="${lang}"]`); // none when it is the page's language
    if (link) await Promise.all([page.waitForNavigation(), link.click()]);
    assert.equal(await page.$eval('html', (html) => html.lang), lang);
    await this.shot(page, `${label}-login-${lang}`);
    await Promise.all([page.waitForNavigation({ timeout: 60000 }), page.click('button[data-action="eds-login"]')]);
  }

  // Fills in and sends the new-application form; returns when the script is done.
  async fillApplication(page, pack) {
    await page.goto(`${this.url}/cabinet/new`);
    await page.select('select[name="kind"]', pack.application.kind);
    const input = await page.$('input[name="application"]');
    await input.uploadFile(pack.json);
    await page.waitForFunction((n) => document.querySelectorAll('#attachments input[type=file]').length === n,
      {}, pack.files.length);
    for (let i = 0; i < pack.files.length; i += 1) {
      const fileInput = await page.$(`#attachment-${i}`);
      await fileInput.uploadFile(pack.files[i]);
    }
  }

  // Runs `qujat verify` on a downloaded file with the test PKI as trust.
  verify(file) {
    return execFileSync(QUJAT, ['verify', file, '--no-default-trust', '--trust', path.join(this.pki, 'trust'),
      '--ca', path.join(this.pki, 'rsa/ca.cer'), '--ca', path.join(this.pki, 'gost/ca.cer')], { encoding: 'utf8' });
  }

  // A file the page links to, fetched with the page's own cookies.
  async download(page, href, name) {
    const base64 = await page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    }, href);
    const file = path.join(this.artifacts, name);
    fs.writeFileSync(file, Buffer.from(base64, 'base64'));
    return file;
  }
}

// kk/ru wording of the pages and of coded messages, for the assertions.
function wording(lang) {
  return JSON.parse(fs.readFileSync(path.join(SOURCE, 'templates/web/wording.json'), 'utf8'))[lang];
}
function message(catalogue, code, lang, params = {}) {
  const text = JSON.parse(fs.readFileSync(path.join(SOURCE, `templates/messages/${catalogue}.json`), 'utf8'))
    .messages[code][lang];
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

module.exports = { Stand, wording, message, SOURCE, QUJAT };
