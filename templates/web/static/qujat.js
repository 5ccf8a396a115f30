// qujat's one script: the NCALayer client (docs/web.md, "NCALayer") and
// the few steps of the pages that need it (login, signing a new
// application). No framework, no outside resources; every word a person
// reads comes from the page (data-* attributes rendered from templates/web/),
// never from here. Served as /static/qujat.js under script-src 'self'.
'use strict';

(() => {
  const SIGNING_EKU = '1.3.6.1.5.5.7.3.4';

  // Why NCALayer did not give a signature; the page words each reason.
  class NCALayerError extends Error {
    constructor(reason, detail) {
      super(`${reason}${detail ? `: ${detail}` : ''}`);
      this.reason = reason; // 'absent' | 'cancelled' | 'failed'
      this.detail = detail || '';
    }
  }

  function bytesToBase64(bytes) {
    let binary = '';
    const view = new Uint8Array(bytes);
    for (let i = 0; i < view.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  function textToBase64(text) {
    return bytesToBase64(new TextEncoder().encode(text));
  }

  async function sha256Hex(bytes) {
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // One WebSocket conversation with NCALayer: the greeting (its version),
  // then one request and its answer at a time.
  class NCALayer {
    constructor(url) {
      this.url = url;
      this.socket = null;
      this.pending = null;
    }

    connect() {
      return new Promise((resolve, reject) => {
        let greeted = false;
        let socket;
        try {
          socket = new WebSocket(this.url);
        } catch (e) {
          reject(new NCALayerError('absent', String(e)));
          return;
        }
        this.socket = socket;
        socket.onerror = () => {
          if (!greeted) reject(new NCALayerError('absent'));
        };
        socket.onclose = () => {
          if (!greeted) reject(new NCALayerError('absent'));
          if (this.pending) {
            this.pending.reject(new NCALayerError('failed', 'connection closed'));
            this.pending = null;
          }
        };
        socket.onmessage = (event) => {
          let message;
          try {
            message = JSON.parse(event.data);
          } catch (e) {
            message = null;
          }
          if (!greeted) {
            greeted = true;
            if (message && message.result && message.result.version) resolve(message.result.version);
            else reject(new NCALayerError('failed', 'no greeting'));
            return;
          }
          if (this.pending) {
            const { resolve: done } = this.pending;
            this.pending = null;
            done(message);
          }
        };
      });
    }

    call(request) {
      return new Promise((resolve, reject) => {
        this.pending = { resolve, reject };
        this.socket.send(JSON.stringify(request));
      });
    }

    close() {
      if (this.socket) this.socket.close();
    }

    // A CMS over `base64Data` with the data inside (attached), as NCALayer's
    // basics module makes it; with the older commonUtils module when this
    // NCALayer has no basics module. `signingKey`: only a signing key
    // (extended key usage 1.3.6.1.5.5.7.3.4) may be chosen.
    async signCms(base64Data, signingKey, locale) {
      const answer = await this.call({
        module: 'kz.gov.pki.knca.basics',
        method: 'sign',
        args: {
          allowedStorages: null,
          format: 'cms',
          data: base64Data,
          signingParams: { decode: true, encapsulate: true, digested: false, tsaProfile: {} },
          signerParams: { extKeyUsageOids: signingKey ? [SIGNING_EKU] : [] },
          locale,
        },
      });
      if (answer && Object.prototype.hasOwnProperty.call(answer, 'status')) {
        if (answer.status) {
          if (!answer.body || !Object.prototype.hasOwnProperty.call(answer.body, 'result')) {
            throw new NCALayerError('cancelled');
          }
          const { result } = answer.body;
          return Array.isArray(result) ? result[0] : result;
        }
        if (!/module|method/i.test(`${answer.message} ${answer.details}`)) {
          throw new NCALayerError('failed', `${answer.code}: ${answer.message}`);
        }
      }
      // An NCALayer before the basics module: commonUtils.createCAdESFromBase64.
      const old = await this.call({
        module: 'kz.gov.pki.knca.commonUtils',
        method: 'createCAdESFromBase64',
        args: ['PKCS12', signingKey ? 'SIGNATURE' : 'ALL', base64Data, true],
      });
      if (old && old.code === '200') return old.responseObject;
      if (old && /cancel/i.test(String(old.message))) throw new NCALayerError('cancelled');
      throw new NCALayerError('failed', old ? `${old.code}: ${old.message}` : 'no answer');
    }
  }

  async function signWithNCALayer(base64Data, signingKey) {
    const layer = new NCALayer(document.body.dataset.ncalayerUrl || 'wss://127.0.0.1:13579/');
    try {
      await layer.connect();
      return await layer.signCms(base64Data, signingKey, document.documentElement.lang || 'ru');
    } finally {
      layer.close();
    }
  }

  // ---- what the page says -------------------------------------------------

  const lang = () => document.documentElement.lang || 'ru';
  const wording = (name) => {
    const holder = document.getElementById('wording');
    return (holder && holder.dataset[name]) || name;
  };

  function say(text, kind) {
    const status = document.getElementById('status');
    if (!status) return;
    status.textContent = text;
    status.dataset.kind = kind || 'info';
    status.hidden = !text;
  }

  function sayNCALayerError(e) {
    if (e instanceof NCALayerError) {
      if (e.reason === 'absent') say(wording('ncalayerAbsent'), 'error');
      else if (e.reason === 'cancelled') say(wording('ncalayerCancelled'), 'error');
      else say(`${wording('ncalayerFailed')} (${e.detail})`, 'error');
    } else {
      say(`${wording('ncalayerFailed')} (${e})`, 'error');
    }
  }

  // An error answer of ours or of the API: {"error": {"code", "message": {kk, ru, en}, "problems"}}.
  function errorText(body) {
    const error = body && body.error;
    if (!error) return wording('unexpected');
    const message = error.message && (error.message[lang()] || error.message.ru);
    return message || error.code;
  }

  async function postJson(url, payload, csrf) {
    const headers = { 'Content-Type': 'application/json' };
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const response = await fetch(url, {
      method: 'POST', headers, body: JSON.stringify(payload), credentials: 'same-origin',
    });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return { ok: response.ok, status: response.status, body };
  }

  // ---- login: a CMS over the service's nonce ------------------------------

  function setUpLogin(form) {
    const button = form.querySelector('button[data-action="eds-login"]');
    button.addEventListener('click', async (event) => {
      event.preventDefault();
      button.disabled = true;
      say(wording('working'), 'info');
      try {
        const challenge = await postJson('/api/v1/auth/challenge', {});
        if (!challenge.ok) {
          say(errorText(challenge.body), 'error');
          return;
        }
        let cms;
        try {
          cms = await signWithNCALayer(textToBase64(challenge.body.nonce), false);
        } catch (e) {
          sayNCALayerError(e);
          return;
        }
        const token = await postJson('/api/v1/auth/token', { cms });
        if (!token.ok) {
          say(errorText(token.body), 'error');
          return;
        }
        form.querySelector('input[name="token"]').value = token.body.token;
        form.submit();
      } catch (e) {
        say(`${wording('unexpected')} (${e})`, 'error');
      } finally {
        button.disabled = false;
      }
    });
  }

  // ---- a new application: check, sign, submit -----------------------------

  function clearProblems(form) {
    form.querySelectorAll('.problems').forEach((list) => {
      list.replaceChildren();
      list.hidden = true;
    });
    form.querySelectorAll('[aria-invalid]').forEach((field) => field.removeAttribute('aria-invalid'));
  }

  // Each problem beside its field: the kind, one attached file, or the
  // application JSON (with the JSON pointer of the field at fault).
  function showProblems(form, problems) {
    for (const problem of problems) {
      const path = problem.path || '';
      let target = 'application';
      const attachment = /^\/attachments\/(\d+)/.exec(path);
      if (path === '/kind') target = 'kind';
      else if (attachment && form.querySelector(`.problems[data-for="attachment-${attachment[1]}"]`)) {
        target = `attachment-${attachment[1]}`;
      }
      const list = form.querySelector(`.problems[data-for="${target}"]`);
      const field = form.querySelector(`[data-field="${target}"]`);
      if (field) field.setAttribute('aria-invalid', 'true');
      const item = document.createElement('li');
      item.dataset.path = path;
      item.dataset.code = problem.code || '';
      item.dataset.params = JSON.stringify(problem.params || {});
      const message = problem.message ? (problem.message[lang()] || problem.message.ru) : problem.code;
      if (target === 'application' && path) {
        const where = document.createElement('code');
        where.textContent = path;
        item.append(where, ' ');
      }
      item.append(message);
      list.append(item);
      list.hidden = false;
    }
  }

  function setUpNewApplication(form) {
    const csrf = form.querySelector('input[name="csrf"]').value;
    const jsonInput = form.querySelector('input[name="application"]');
    const kindSelect = form.querySelector('select[name="kind"]');
    const attachmentsBox = document.getElementById('attachments');
    let application = null;

    // One file input per attachment the application names.
    jsonInput.addEventListener('change', async () => {
      clearProblems(form);
      attachmentsBox.replaceChildren();
      application = null;
      const file = jsonInput.files[0];
      if (!file) return;
      try {
        application = JSON.parse(await file.text());
      } catch (e) {
        showProblems(form, [{ path: '', code: 'json.malformed', message: { [lang()]: wording('jsonMalformed') } }]);
        return;
      }
      if (application && typeof application.kind === 'string' && !kindSelect.value) kindSelect.value = application.kind;
      const attachments = (application && Array.isArray(application.attachments)) ? application.attachments : [];
      attachments.forEach((attachment, index) => {
        const row = document.createElement('div');
        row.className = 'field';
        const label = document.createElement('label');
        const id = `attachment-${index}`;
        label.htmlFor = id;
        label.textContent = `${wording('attachment')} ${index + 1}: ${attachment.type || ''} ${attachment.number || ''}`;
        const input = document.createElement('input');
        input.type = 'file';
        input.id = id;
        input.name = id;
        input.dataset.field = id;
        input.dataset.attachment = String(index);
        const problems = document.createElement('ul');
        problems.className = 'problems';
        problems.dataset.for = id;
        problems.hidden = true;
        row.append(label, input, problems);
        attachmentsBox.append(row);
      });
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearProblems(form);
      if (!application) {
        showProblems(form, [{ path: '', code: 'application.missing', message: { [lang()]: wording('applicationMissing') } }]);
        return;
      }
      const submitButton = form.querySelector('button[type="submit"]');
      submitButton.disabled = true;
      try {
        say(wording('working'), 'info');
        // The files, named by SHA-256 in the application so the signature covers them.
        const files = {};
        for (const input of attachmentsBox.querySelectorAll('input[type="file"]')) {
          const file = input.files[0];
          if (!file) continue;
          const bytes = await file.arrayBuffer();
          const hash = await sha256Hex(bytes);
          application.attachments[Number(input.dataset.attachment)].sha256 = hash;
          files[hash] = bytesToBase64(bytes);
        }
        if (kindSelect.value) application.kind = kindSelect.value;
        const text = JSON.stringify(application, null, 2);
        const check = await postJson(form.dataset.check, { application: JSON.parse(text) }, csrf);
        if (!check.ok) {
          say(errorText(check.body), 'error');
          return;
        }
        if (check.body.problems.length > 0) {
          showProblems(form, check.body.problems);
          say(wording('fixProblems'), 'error');
          return;
        }
        say(wording('signing'), 'info');
        let cms;
        try {
          cms = await signWithNCALayer(textToBase64(text), true);
        } catch (e) {
          sayNCALayerError(e);
          return;
        }
        say(wording('submitting'), 'info');
        const submitted = await postJson(form.action, { cms, files }, csrf);
        if (!submitted.ok) {
          say(errorText(submitted.body), 'error');
          if (submitted.body && submitted.body.error && Array.isArray(submitted.body.error.problems) &&
              submitted.body.error.code === 'application.invalid') {
            showProblems(form, submitted.body.error.problems);
          }
          return;
        }
        window.location.assign(submitted.body.url);
      } catch (e) {
        say(`${wording('unexpected')} (${e})`, 'error');
      } finally {
        submitButton.disabled = false;
      }
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    const login = document.getElementById('login-form');
    if (login) setUpLogin(login);
    const application = document.getElementById('new-application');
    if (application) setUpNewApplication(application);
  });
})();
