// Issue 13's walk in a real browser, in Russian and in Kazakh: an applicant
// logs in through (the stand-in) NCALayer, submits a signed export licence
// application with its files and sees it registered with its due date; an
// officer logs in, accepts, records the approval and issues; the applicant
// downloads the signed PDF, which `qujat verify` accepts, and the
// verification link shows the licence current. A screenshot per step in
// build/web-artifacts/walk/.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { after, before, test } = require('node:test');
const path = require('node:path');
const { Stand, wording, SOURCE } = require('./harness');

let stand;
before(async () => {
  stand = await new Stand('walk').start();
});
after(async () => {
  if (stand) await stand.stop();
});

async function walk(lang) {
  const t = wording(lang);
  await stand.standinControl(`mode=sign&key=${encodeURIComponent(stand.key('first_head'))}`);

  // The applicant, on a phone.
  const applicant = await stand.newPage(true);
  await stand.login(applicant, lang, `${lang}-applicant`);
  assert.match(applicant.url(), /\/cabinet$/);
  assert.equal(await applicant.$eval('h1', (h) => h.textContent.trim()), t.cabinet_title);
  await stand.shot(applicant, `${lang}-cabinet`);

  const pack = stand.exportApplication();
  await stand.fillApplication(applicant, pack);
  await stand.shot(applicant, `${lang}-new-application`);
  await Promise.all([applicant.waitForNavigation({ timeout: 90000 }), applicant.click('#new-application button[type=submit]')]);
  assert.match(applicant.url(), /\/cabinet\/applications\/[0-9a-f-]{36}$/);
  const id = applicant.url().split('/').pop();
  const facts = await applicant.$eval('#facts', (dl) => ({
    state: dl.querySelector('.state').dataset.state,
    stateText: dl.querySelector('.state').textContent.trim(),
    registered: dl.querySelector('#registered-on').getAttribute('datetime'),
    due: dl.querySelector('#due-on').getAttribute('datetime'),
  }));
  assert.equal(facts.state, 'registered');
  assert.equal(facts.stateText, t.states.registered);
  assert.match(facts.registered, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(facts.due, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(facts.due > facts.registered, `due ${facts.due} after registration ${facts.registered}`);
  await stand.shot(applicant, `${lang}-registered`);

  // The officer, at a desk.
  await stand.standinControl(`key=${encodeURIComponent(stand.key('officer'))}`);
  const officer = await stand.newPage(false);
  await stand.login(officer, lang, `${lang}-officer`);
  assert.match(officer.url(), /\/desk$/);
  const row = await officer.$(`#queue tr[data-id="${id}"]`);
  assert.ok(row, 'the application is in the queue');
  assert.equal(await row.$eval('.due time', (time) => time.getAttribute('datetime')), facts.due);
  await stand.shot(officer, `${lang}-desk`);
  await Promise.all([officer.waitForNavigation(), row.$eval('a', (a) => a.click())]);
  // The files the applicant attached, as the applicant sent them.
  const fileLink = await officer.$eval('#files tbody tr a', (a) => a.getAttribute('href'));
  const attached = await stand.download(officer, fileLink, `${lang}-attachment-0.pdf`);
  assert.deepEqual(fs.readFileSync(attached), fs.readFileSync(pack.files[0]));

  const act = async (action, fill) => {
    const details = await officer.$(`details[data-action="${action}"]`);
    assert.ok(details, `${action} is offered`);
    await details.$eval('summary', (summary) => summary.click());
    if (fill) await fill(details);
    await details.$eval('input[name="confirm"]', (box) => box.click());
    await stand.shot(officer, `${lang}-${action}-confirm`);
    await Promise.all([officer.waitForNavigation({ timeout: 90000 }), details.$eval('button[type=submit]', (b) => b.click())]);
    const error = await officer.$('.error');
    assert.equal(error, null, error ? await error.evaluate((e) => `${e.dataset.code}: ${e.textContent}`) : '');
    assert.match(officer.url(), new RegExp(`done=${action}$`));
  };
  await act('accept');
  await act('record_approval', async (details) => {
    await (await details.$('input[name="approval_body_kk"]')).type('Қазақстан Республикасы Ұлттық қауіпсіздік комитеті');
    await (await details.$('input[name="approval_body_ru"]')).type('Комитет национальной безопасности Республики Казахстан');
    await (await details.$('input[name="letter_number"]')).type('27/4-1182');
    await details.$eval('input[name="letter_date"]', (input, date) => { input.value = date; }, facts.registered);
  });
  await act('issue');
  assert.equal(await officer.$eval('#facts .state', (dd) => dd.dataset.state), 'issued');
  await stand.shot(officer, `${lang}-issued`);

  // The applicant finds the licence in the cabinet.
  await applicant.reload();
  assert.equal(await applicant.$eval('#facts .state', (dd) => dd.dataset.state), 'issued');
  const licence = await applicant.$eval('#documents li', (li) => ({
    number: li.dataset.number,
    state: li.dataset.state,
    pdf: li.querySelector('a[data-kind="pdf"]').getAttribute('href'),
    xml: li.querySelector('a[data-kind="xml"]').getAttribute('href'),
    verify: li.querySelector('a[data-kind="verify"]').getAttribute('href'),
  }));
  assert.equal(licence.state, 'valid');
  await stand.shot(applicant, `${lang}-documents`);
  const pdf = await stand.download(applicant, licence.pdf, `${lang}-${licence.number}.pdf`);
  const xml = await stand.download(applicant, licence.xml, `${lang}-${licence.number}.xml`);
  stand.verify(pdf); // throws (exit status not 0) unless every signature verifies
  stand.verify(xml);

  // Another applicant's browser gets 404 for the licence and the application.
  if (lang === 'ru') {
    await stand.standinControl(`key=${encodeURIComponent(stand.key('individual'))}`);
    const stranger = await stand.newPage(true);
    await stand.login(stranger, lang, `${lang}-stranger`);
    for (const href of [licence.pdf, licence.xml, `/cabinet/applications/${id}`]) {
      const status = await stranger.evaluate(async (url) => (await fetch(url)).status, href);
      assert.equal(status, 404, href);
    }
    assert.ok(!(await stranger.content()).includes(licence.number));
    await stand.standinControl(`key=${encodeURIComponent(stand.key('first_head'))}`);
  }

  // The verification link (the QR code's target) shows the licence current.
  const verification = await applicant.goto(new URL(licence.verify, stand.url).href);
  assert.equal(verification.status(), 200);
  const text = await applicant.$eval('body', (body) => body.innerText);
  assert.ok(text.includes(licence.number), 'the verification page names the document');
  const shown = await applicant.$eval('#status', (status) => ({
    state: status.dataset.state, text: status.textContent, lang: document.documentElement.lang,
  }));
  assert.equal(shown.state, 'valid');
  const verifyWording = JSON.parse(fs.readFileSync(path.join(SOURCE, 'templates/web/verify.json'), 'utf8'));
  assert.ok(shown.text.includes(verifyWording[shown.lang].status_valid), `${shown.text} says it is current`);
  await stand.shot(applicant, `${lang}-verification`);

  assert.deepEqual(applicant.consoleErrors, []);
  assert.deepEqual(officer.consoleErrors, []);
}

test('the walk in Russian', { timeout: 300000 }, () => walk('ru'));
test('the walk in Kazakh', { timeout: 300000 }, () => walk('kk'));
