// The pages' rules in a real browser: a wrong field's message beside the
// field in the chosen language; what the page says when the user cancels
// in NCALayer, picks an AUTH key to sign an application, or NCALayer is not
// running (and nothing breaks); applicant B gets 404 for A's application
// and never sees its data; a form posted without its CSRF token is refused.
// Screenshots in build/web-artifacts/rules/.
'use strict';

const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { Stand, wording, message } = require('./harness');

let stand;
let companyPage;
let companyApplication;
before(async () => {
  stand = await new Stand('rules').start();
  await stand.standinControl(`mode=sign&key=${encodeURIComponent(stand.key('first_head'))}`);
  companyPage = await stand.newPage(true);
  await stand.login(companyPage, 'ru', 'company');
});
after(async () => {
  if (stand) await stand.stop();
});

async function statusText(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('status');
    return status && !status.hidden && status.dataset.kind === 'error';
  }, { timeout: 60000 });
  return page.$eval('#status', (status) => status.textContent.trim());
}

async function switchLanguage(page, lang) {
  const link = await page.$(`.languages a[data-lang="${lang}"]`);
  if (link) await Promise.all([page.waitForNavigation(), link.click()]);
}

for (const lang of ['ru', 'kk']) {
  test(`a wrong field shows its message beside the field (${lang})`, { timeout: 120000 }, async () => {
    await switchLanguage(companyPage, lang);
    const pack = stand.exportApplication((application) => {
      application.applicant.bin = '123456789012'; // wrong check digit
    });
    await stand.fillApplication(companyPage, pack);
    await companyPage.click('#new-application button[type=submit]');
    await companyPage.waitForSelector('.problems[data-for="application"] li[data-path="/applicant/bin"]', { visible: true });
    const problem = await companyPage.$eval('.problems[data-for="application"] li[data-path="/applicant/bin"]',
      (li) => ({ code: li.dataset.code, params: JSON.parse(li.dataset.params), text: li.textContent }));
    const expected = message('check', problem.code, lang, problem.params);
    assert.ok(problem.text.includes(expected), `${problem.text} says ${expected}`);
    assert.equal(await companyPage.$eval('input[name="application"]', (input) => input.getAttribute('aria-invalid')), 'true');
    assert.equal(await statusText(companyPage), wording(lang).fix_problems);
    await stand.shot(companyPage, `${lang}-wrong-field`);
    assert.match(companyPage.url(), /\/cabinet\/new$/); // nothing was signed or sent
  });
}

test('cancelling in NCALayer is said and nothing is sent', { timeout: 120000 }, async () => {
  await switchLanguage(companyPage, 'kk');
  await stand.standinControl('mode=cancel');
  await stand.fillApplication(companyPage, stand.exportApplication());
  await companyPage.click('#new-application button[type=submit]');
  assert.equal(await statusText(companyPage), wording('kk').ncalayer_cancelled);
  await stand.shot(companyPage, 'kk-cancelled');
  await stand.standinControl('mode=sign');
});

test('an AUTH key where a signing key is needed is refused, said in the chosen language', { timeout: 120000 }, async () => {
  await switchLanguage(companyPage, 'ru');
  await stand.standinControl('mode=auth-key');
  await stand.fillApplication(companyPage, stand.exportApplication());
  await companyPage.click('#new-application button[type=submit]');
  assert.equal(await statusText(companyPage), message('procedure', 'signature.authentication_key', 'ru', { signature: 1 }));
  await stand.shot(companyPage, 'ru-auth-key');
  await stand.standinControl('mode=sign');
});

test('an NCALayer before the basics module is reached through commonUtils', { timeout: 120000 }, async () => {
  await stand.standinControl('mode=no-basics');
  await stand.fillApplication(companyPage, stand.exportApplication());
  await Promise.all([companyPage.waitForNavigation({ timeout: 90000 }),
    companyPage.click('#new-application button[type=submit]')]);
  assert.match(companyPage.url(), /\/cabinet\/applications\/[0-9a-f-]{36}$/);
  companyApplication = {
    id: companyPage.url().split('/').pop(),
    number: await companyPage.$eval('h1', (h) => h.textContent.trim().split(' ').pop()),
  };
  const requests = await (await fetch(`http://127.0.0.1:${stand.standinPort}/requests`)).json();
  assert.ok(requests.some((r) => r.module === 'kz.gov.pki.knca.commonUtils' && r.method === 'createCAdESFromBase64'));
  await stand.standinControl('mode=sign');
});

test("applicant B gets 404 for A's application and never sees its data", { timeout: 120000 }, async () => {
  assert.ok(companyApplication, 'A has an application');
  await stand.standinControl(`key=${encodeURIComponent(stand.key('individual'))}`);
  const person = await stand.newPage(true);
  await stand.login(person, 'ru', 'person');
  const cabinet = await person.content();
  assert.ok(!cabinet.includes(companyApplication.id));
  assert.ok(!cabinet.includes(companyApplication.number));
  const response = await person.goto(`${stand.url}/cabinet/applications/${companyApplication.id}`);
  assert.equal(response.status(), 404);
  const page = await person.content();
  assert.ok(!page.includes(companyApplication.number));
  assert.ok(!page.includes(stand.company.bin));
  assert.equal(await person.$eval('.error', (e) => e.dataset.code), 'application.not_found');
  await stand.shot(person, 'ru-other-applicant-404');
  // Nor by the script's calls: the desk is the officers', the document unknown to B.
  const desk = await person.goto(`${stand.url}/desk/applications/${companyApplication.id}`);
  assert.equal(desk.status(), 403);
  await stand.standinControl(`key=${encodeURIComponent(stand.key('first_head'))}`);
});

test('a form posted without its CSRF token is refused', { timeout: 120000 }, async () => {
  await stand.standinControl(`key=${encodeURIComponent(stand.key('officer'))}`);
  const officer = await stand.newPage(false);
  await stand.login(officer, 'ru', 'officer');
  await officer.goto(`${stand.url}/desk/applications/${companyApplication.id}`);
  await officer.$eval('details[data-action="accept"]', (details) => {
    details.open = true;
    details.querySelector('input[name="csrf"]').remove();
    details.querySelector('input[name="confirm"]').checked = true;
  });
  const [response] = await Promise.all([officer.waitForNavigation(),
    officer.$eval('details[data-action="accept"] button[type=submit]', (b) => b.click())]);
  assert.equal(response.status(), 403);
  assert.equal(await officer.$eval('.error', (e) => e.dataset.code), 'web.csrf');
  assert.equal(await officer.$eval('.error', (e) => e.textContent.trim()), message('web', 'web.csrf', 'ru'));
  await stand.shot(officer, 'ru-csrf-refused');
  // The application did not move.
  await officer.goto(`${stand.url}/desk/applications/${companyApplication.id}`);
  assert.equal(await officer.$eval('#facts .state', (dd) => dd.dataset.state), 'registered');
  await stand.standinControl(`key=${encodeURIComponent(stand.key('first_head'))}`);
});

test('NCALayer not running: the page says so and keeps working', { timeout: 120000 }, async () => {
  await stand.stopStandIn();
  for (const lang of ['ru', 'kk']) {
    const page = await stand.newPage(true);
    await page.goto(`${stand.url}/login`);
    await switchLanguage(page, lang);
    await page.click('button[data-action="eds-login"]');
    assert.equal(await statusText(page), wording(lang).ncalayer_absent);
    assert.equal(await page.$eval('button[data-action="eds-login"]', (b) => b.disabled), false);
    assert.deepEqual(page.consoleErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(e)), []);
    await stand.shot(page, `${lang}-ncalayer-absent`);
  }
});
