// Runs the playground's script (served by the server under test) in Node, with just enough of a DOM for it, against the
// real server: Node's fetch makes the same requests a browser would. Used where no Chromium is installed; the browser test
// (PlaygroundBrowserTests) drives the real page.
// Usage: node playground-harness.js SCRIPT BASE_URL TEXTS_JSON (a JSON list, so that a lone surrogate survives the command line).
// Prints one JSON line: what typing each text and pressing Classify did.
'use strict';
const fs = require('fs');
const vm = require('vm');
const [script, base, textsJson] = process.argv.slice(2);
const texts = JSON.parse(textsJson);

function element() {
  const classes = new Set();
  return {
    textContent: '', value: '', hidden: false, disabled: false, title: '', className: '', dataset: {}, style: {}, listeners: {},
    classList: { toggle: (name, on) => (on ? classes.add(name) : classes.delete(name)), contains: (name) => classes.has(name) },
    addEventListener(type, listener) { this.listeners[type] = listener; },
    focus() {}, replaceChildren() {}, append() {}, setAttribute() {},
  };
}

const elements = {};
const $ = (id) => (elements[id] ??= element());
const requests = [];
globalThis.document = {
  documentElement: { dataset: { base } },
  getElementById: $,
  createElement: () => element(),
};
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => {
  requests.push({ url: String(url), method: (init && init.method) || 'GET', body: (init && init.body) || null });
  return realFetch(new URL(url, base), init);
};

(async () => {
  vm.runInThisContext(fs.readFileSync(script, 'utf8'), { filename: 'playground.js' });
  for (let i = 0; i < 600 && $('status').textContent !== 'Ready.'; i++) await new Promise((r) => setTimeout(r, 50));
  if ($('status').textContent !== 'Ready.') throw new Error('the page never became ready: ' + $('status').textContent);
  const results = [];
  for (const text of texts) {
    // Bars are on show, as after an earlier prediction: a refusal must hide them.
    $('result').hidden = false;
    const before = requests.length;
    $('text').value = text;
    await $('classify').listeners.click();
    results.push({
      posted: requests.slice(before).filter((r) => r.method === 'POST').map((r) => r.body),
      status: $('status').textContent,
      error: $('status').classList.contains('error'),
      resultHidden: $('result').hidden,
    });
  }
  console.log(JSON.stringify(results));
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
