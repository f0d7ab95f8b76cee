// The labelling page: GET label/state, GET label/next, POST label, POST label/undo, POST and GET label/retrain, nothing else. Every
// request goes to this server's own endpoints, behind the same API key as /predict. The key lives in one variable of this script: never
// in the browser's storage, a cookie or the address. Labels are sent one at a time (keys are ignored while one is on its way), and the
// server writes each to the data file before it answers.
'use strict';
(() => {
  const base = document.documentElement.dataset.base || '/';
  const $ = (id) => document.getElementById(id);
  let apiKey = null;
  let state = null;
  let queue = [];          // texts fetched and not shown yet
  let current = null;      // the text on screen: { id, text, predicted }
  const skipped = new Set();
  const undoStack = [];    // texts labelled on this page, last first to undo
  const chosen = new Set(); // multi-label: the toggled labels of the current text
  let session = 0;
  let busy = false;
  let polling = false;

  const multiLabel = () => state && state.problem_type === 'multi_label_classification';

  function headers(json) {
    const h = {};
    if (json) h['Content-Type'] = 'application/json';
    if (apiKey !== null) h['X-API-Key'] = apiKey;
    return h;
  }

  function status(text, error) {
    $('status').textContent = text;
    $('status').classList.toggle('error', !!error);
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && body.error) return `${response.status}: ${body.error}` + (body.field ? ` (${body.field})` : '');
    } catch { /* not JSON */ }
    return `${response.status} ${response.statusText}`;
  }

  function needKey(message) {
    $('key').hidden = false;
    $('api-key').focus();
    status(message, true);
  }

  // One request; null (with the reason shown) when it failed.
  async function call(method, path, body) {
    let response;
    try {
      response = await fetch(base + path, {
        method,
        headers: headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (e) {
      status('The server did not answer: ' + e.message, true);
      return null;
    }
    if (response.status === 401) {
      needKey(apiKey === null ? 'This server needs an API key.' : 'The server refused this key.');
      return null;
    }
    if (!response.ok && response.status !== 202) {
      status(await errorText(response), true);
      return null;
    }
    return response.json();
  }

  function showRows(rows) {
    $('rows').textContent = String(rows);
    $('session').textContent = String(session);
  }

  function buildButtons() {
    const box = $('labels');
    box.replaceChildren();
    state.labels.forEach((label, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.label = label;
      if (multiLabel()) button.setAttribute('aria-pressed', 'false');
      const key = document.createElement('span');
      key.className = 'key';
      key.textContent = i < 9 ? String(i + 1) : '';
      key.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.textContent = label;
      button.append(key, name);
      button.title = i < 9 ? `${label} (key ${i + 1})` : label;
      button.addEventListener('click', () => pick(label));
      box.append(button);
    });
    $('confirm').hidden = !multiLabel();
  }

  async function start() {
    const loaded = await call('GET', 'label/state');
    if (!loaded) return;
    state = loaded;
    $('key').hidden = true;
    $('data-file').textContent = state.data_file;
    $('pool').textContent = String(state.pool);
    showRows(state.rows);
    buildButtons();
    showRetrain(state.retrain);
    if (state.retrain.state === 'training') poll();
    status('', false);
    if (await refill()) show();
  }

  // False when the server did not answer with texts (the reason is in the status line).
  async function refill() {
    const want = Math.min(100, 10 + skipped.size + undoStack.length);
    // The first choice scores the whole pool with the model: on a large pool that takes a while.
    const waiting = setTimeout(() => status('Choosing the next texts: the served model is scoring the pool…', false), 500);
    const next = await call('GET', `label/next?count=${want}`);
    clearTimeout(waiting);
    if (!next) return false;
    if ($('status').textContent.startsWith('Choosing')) status('', false);
    queue = next.items.filter((item) => !skipped.has(item.id) && (!current || item.id !== current.id));
    return true;
  }

  function show() {
    chosen.clear();
    const buttons = [...$('labels').querySelectorAll('button')];
    if (!current) current = queue.shift() || null;
    if (!current) {
      $('text').textContent = skipped.size
        ? `Nothing left to label here (${skipped.size} skipped: reload the page to see them again).`
        : 'Nothing left to label: every text of the pool is in the data file.';
      $('text').dataset.id = '';
      $('guess').textContent = '';
      buttons.forEach((b) => { b.disabled = true; });
      $('skip').disabled = true;
      return;
    }
    $('text').textContent = current.text;
    $('text').dataset.id = current.id;
    const guess = current.predicted || [];
    $('guess').textContent = guess.length ? `The served model guesses: ${guess.join(', ')}` : '';
    buttons.forEach((b) => {
      b.disabled = false;
      b.classList.toggle('guess', guess.includes(b.dataset.label));
      if (multiLabel()) b.setAttribute('aria-pressed', 'false');
    });
    $('skip').disabled = false;
    $('undo').disabled = undoStack.length === 0;
  }

  async function next() {
    current = null;
    if (queue.length === 0 && !(await refill())) {
      $('text').textContent = 'No text to show: the server did not give the next texts (see above).';
      $('text').dataset.id = '';
      return;
    }
    show();
  }

  function pick(label) {
    if (busy || !current) return;
    if (!multiLabel()) {
      send([label]);
      return;
    }
    if (chosen.has(label)) chosen.delete(label); else chosen.add(label);
    for (const b of $('labels').querySelectorAll('button')) b.setAttribute('aria-pressed', String(chosen.has(b.dataset.label)));
  }

  async function send(labels) {
    if (busy || !current) return;
    if (labels.length === 0) {
      status('Choose at least one label, then confirm.', true);
      return;
    }
    busy = true;
    const item = current;
    try {
      const answer = await call('POST', 'label', { id: item.id, labels });
      if (!answer) return;
      showRows(answer.rows);
      if (answer.written) {
        session++;
        undoStack.push(item);
        showRows(answer.rows);
        status(`Written: ${labels.join(', ')}.` + (answer.reloaded ? ' The data file had changed on disk; it was read again first, nothing of it was lost.' : ''), false);
      } else {
        status(`Already in the data file as ${answer.label} (labelled elsewhere); nothing written.`, false);
      }
      await next();
    } finally {
      busy = false;
    }
  }

  async function skip() {
    if (busy || !current) return;
    skipped.add(current.id);
    status('Skipped.', false);
    await next();
  }

  async function undo() {
    if (busy || undoStack.length === 0) return;
    busy = true;
    try {
      const item = undoStack[undoStack.length - 1];
      const answer = await call('POST', 'label/undo', { id: item.id });
      if (!answer) return;
      undoStack.pop();
      showRows(answer.rows);
      if (answer.written) {
        session--;
        showRows(answer.rows);
        status('Undone: the row is gone from the data file.', false);
      } else {
        status('Nothing to undo: the row is no longer in the data file.', false);
      }
      if (current) queue.unshift(current);
      current = item;
      show();
    } finally {
      busy = false;
    }
  }

  function showRetrain(retrain) {
    const progress = $('retrain-progress');
    const training = retrain.state === 'training';
    progress.hidden = !training;
    if (training && retrain.total_steps > 0) {
      progress.max = retrain.total_steps;
      progress.value = retrain.step;
    } else if (training) {
      progress.removeAttribute('value'); // indeterminate while loading or scoring
    }
    $('retrain-button').disabled = training;
    const line = $('retrain-status');
    line.textContent = retrain.state === 'idle' ? '' : retrain.message;
    line.classList.toggle('done', retrain.state === 'done');
    line.classList.toggle('error', retrain.state === 'failed');
    line.dataset.state = retrain.state;
  }

  async function poll() {
    if (polling) return;
    polling = true;
    try {
      for (;;) {
        const retrain = await call('GET', 'label/retrain');
        if (!retrain) return;
        showRetrain(retrain);
        if (retrain.state !== 'training') {
          if (retrain.swapped) { queue = []; await refill(); if (!current) show(); }
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    } finally {
      polling = false;
    }
  }

  async function retrain() {
    const started = await call('POST', 'label/retrain');
    if (!started) return;
    showRetrain(started);
    poll();
  }

  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey || !state) return;
    if (/^[1-9]$/.test(e.key)) {
      const label = state.labels[Number(e.key) - 1];
      if (label !== undefined) { e.preventDefault(); pick(label); }
    } else if (e.key === 's' || e.key === 'S') {
      e.preventDefault(); skip();
    } else if (e.key === 'u' || e.key === 'U') {
      e.preventDefault(); undo();
    } else if (e.key === 'Enter' && multiLabel() && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault(); send([...chosen]);
    }
  });
  $('confirm').addEventListener('click', () => send([...chosen]));
  $('skip').addEventListener('click', skip);
  $('undo').addEventListener('click', undo);
  $('retrain-button').addEventListener('click', retrain);
  $('use-key').addEventListener('click', () => { apiKey = $('api-key').value; start(); });
  $('api-key').addEventListener('keydown', (e) => { if (e.key === 'Enter') { apiKey = $('api-key').value; start(); } });
  start();
})();
