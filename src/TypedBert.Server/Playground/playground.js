// The playground: GET model, POST predict, POST explain, nothing else. Every request goes to this server's own endpoints, so the same
// limits and the same API key check apply as to any other client. The key lives in one variable of this script: never
// in the browser's storage, a cookie or the address, so it is gone when the tab closes.
'use strict';
(() => {
  const base = document.documentElement.dataset.base || '/';
  const $ = (id) => document.getElementById(id);
  let apiKey = null;
  let model = null;
  // The text the bars belong to: a label's explanation is asked for this text, not for whatever the box holds now.
  let predictedText = null;
  // Answers to an older click are dropped, so that the words shown always belong to the last label clicked.
  let explainRequest = 0;
  // The server's rule for a text with nothing to classify (BlankText.cs): only whitespace and invisible control or format
  // characters. Such a text is not sent; if the server refuses another text, its message is shown instead of old bars.
  const blank = /^[\s\p{Cc}\p{Cf}]*$/u;

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
    } catch { /* not JSON: fall through to the status line */ }
    return `${response.status} ${response.statusText}`;
  }

  function needKey(message) {
    $('key').hidden = false;
    $('api-key').focus();
    status(message, true);
  }

  function percent(score) {
    return (score * 100).toFixed(2) + ' %';
  }

  function longTextDescription(longText) {
    if (!longText || longText.strategy !== 'sliding_window') return `truncated to the first ${model.max_length} tokens`;
    return `sliding window of ${longText.window_tokens} tokens, stride ${longText.stride}, ${longText.aggregation} of the windows' logits`;
  }

  async function loadModel() {
    let response;
    try {
      response = await fetch(base + 'model', { headers: headers(false), cache: 'no-store' });
    } catch (e) {
      status('The server did not answer: ' + e.message, true);
      return false;
    }
    if (response.status === 401) {
      needKey(apiKey === null ? 'This server needs an API key.' : 'The server refused this key.');
      return false;
    }
    if (!response.ok) {
      status(await errorText(response), true);
      return false;
    }
    model = await response.json();
    $('model-name').textContent = model.model;
    $('base-model').textContent = model.base_model || 'not recorded';
    $('problem-type').textContent = model.problem_type;
    $('labels').textContent = model.labels.join(', ');
    $('long-text').textContent = longTextDescription(model.long_text);
    const multiLabel = model.problem_type === 'multi_label_classification';
    $('threshold-term').hidden = !multiLabel;
    $('threshold').hidden = !multiLabel;
    if (multiLabel) {
      const thresholds = model.thresholds || model.labels.map(() => 0.5);
      const same = thresholds.every((t) => t === thresholds[0]);
      $('threshold').textContent = same
        ? `${thresholds[0]} for every label`
        : model.labels.map((l, i) => `${l} ${thresholds[i]}`).join(', ');
    }
    $('key').hidden = true;
    status('Ready.', false);
    return true;
  }

  function renderPrediction(prediction, milliseconds) {
    const multiLabel = model.problem_type === 'multi_label_classification';
    const thresholds = model.thresholds || model.labels.map(() => 0.5);
    const chosen = new Set(multiLabel ? (prediction.labels || []) : [prediction.label]);
    $('verdict').textContent = multiLabel
      ? (chosen.size ? 'Labels: ' + [...chosen].join(', ') : 'No label reaches its threshold')
      : `${prediction.label} (${percent(prediction.scores[0].score)})`;
    $('verdict').dataset.label = prediction.label;
    const bars = $('bars');
    bars.replaceChildren();
    for (const { label, score } of prediction.scores) {
      const bar = document.createElement('div');
      bar.className = 'bar' + (chosen.has(label) ? ' on' : '');
      bar.dataset.label = label;
      bar.setAttribute('role', 'button');
      bar.tabIndex = 0;
      bar.title = `Show which words pushed ${label} up or down`;
      bar.addEventListener('click', () => explain(label));
      bar.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); explain(label); }
      });
      bar.dataset.score = String(score);
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = label;
      name.title = label;
      const track = document.createElement('div');
      track.className = 'track';
      const fill = document.createElement('div');
      fill.className = 'fill';
      fill.style.width = (score * 100).toFixed(3) + '%';
      track.append(fill);
      if (multiLabel) {
        const mark = document.createElement('div');
        mark.className = 'threshold';
        mark.style.left = (thresholds[model.labels.indexOf(label)] * 100).toFixed(3) + '%';
        mark.title = 'threshold';
        track.append(mark);
      }
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = percent(score);
      bar.append(name, track, value);
      bars.append(bar);
    }
    $('timing').textContent = `Answered by POST ${base}predict in ${milliseconds.toFixed(0)} ms.`;
    $('result').hidden = false;
    $('explanation').hidden = true;
  }

  // Four intensity buckets of |score| / max |score| (the CSP allows no inline style); 0 for a word with no attribution.
  function bucket(score, max) {
    if (score === 0 || max === 0) return 0;
    return Math.min(4, Math.max(1, Math.ceil((Math.abs(score) / max) * 4)));
  }

  // The text as typed, each word a span coloured by its attribution, the characters between words as plain text nodes:
  // built from textContent only, so nothing of the text can become markup.
  function renderExplanation(text, body) {
    const words = [...body.words].sort((a, b) => a.start - b.start);
    const max = words.reduce((m, w) => Math.max(m, Math.abs(w.score)), 0);
    const out = $('explained-text');
    out.replaceChildren();
    let at = 0;
    for (const w of words) {
      if (w.start > at) out.append(document.createTextNode(text.slice(at, w.start)));
      const span = document.createElement('span');
      const sign = w.score > 0 ? 'pos' : w.score < 0 ? 'neg' : 'zero';
      const b = bucket(w.score, max);
      span.className = `word ${sign}` + (b ? ` b${b}` : '');
      span.textContent = text.slice(w.start, w.start + w.length);
      span.dataset.score = String(w.score);
      span.title = `${body.label}: ${w.score.toPrecision(4)}`;
      out.append(span);
      at = Math.max(at, w.start + w.length);
    }
    if (at < text.length) out.append(document.createTextNode(text.slice(at)));
    $('explain-label').textContent = `Why ${body.label} got its score: green words pushed it up, red words down.`;
    $('explain-label').dataset.label = body.label;
    $('explanation').hidden = false;
  }

  async function explain(label) {
    const text = predictedText;
    if (text === null) return;
    const request = ++explainRequest;
    for (const bar of $('bars').children) bar.classList.toggle('explained', bar.dataset.label === label);
    status(`Explaining ${label}…`, false);
    try {
      const response = await fetch(base + 'explain', { method: 'POST', headers: headers(true), body: JSON.stringify({ text, label }) });
      if (request !== explainRequest) return;
      if (response.status === 401) {
        needKey('The server refused the request: it needs a valid API key.');
        return;
      }
      if (!response.ok) {
        $('explanation').hidden = true;
        status(await errorText(response), true);
        return;
      }
      const body = await response.json();
      if (request !== explainRequest) return;
      renderExplanation(text, body);
      status('', false);
    } catch (e) {
      if (request === explainRequest) status('The server did not answer: ' + e.message, true);
    }
  }

  async function classify() {
    const text = $('text').value;
    if (blank.test(text)) {
      $('result').hidden = true;
      status('Type a text first: an empty or whitespace-only text has nothing to classify.', true);
      return;
    }
    if (!model && !(await loadModel())) return;
    $('classify').disabled = true;
    status('Classifying…', false);
    const started = performance.now();
    try {
      const response = await fetch(base + 'predict', { method: 'POST', headers: headers(true), body: JSON.stringify({ text }) });
      if (response.status === 401) {
        needKey('The server refused the request: it needs a valid API key.');
        return;
      }
      if (!response.ok) {
        $('result').hidden = true;
        status(await errorText(response), true);
        return;
      }
      const body = await response.json();
      predictedText = text;
      explainRequest++;
      renderPrediction(body.predictions[0], performance.now() - started);
      status('', false);
    } catch (e) {
      status('The server did not answer: ' + e.message, true);
    } finally {
      $('classify').disabled = false;
    }
  }

  async function useKey() {
    const key = $('api-key').value;
    if (!key) return;
    apiKey = key;
    $('api-key').value = '';
    await loadModel();
  }

  $('classify').addEventListener('click', classify);
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) classify();
  });
  $('use-key').addEventListener('click', useKey);
  $('api-key').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') useKey();
  });
  loadModel();
})();
