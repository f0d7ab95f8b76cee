// Reads a folder written by `typedbert export` with transformers.js, offline, as a JavaScript user would:
//   node run.mjs classify <folder> <texts.json>   pipeline("text-classification") scores and the tokenizer's ids of each text
//   node run.mjs tokenize <folder> <texts.json>   the tokenizer's ids only (a folder with tokenizer.json and tokenizer_config.json)
// texts.json is an array of strings or of [text, pair] arrays; the answer is one JSON object on standard output.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env, pipeline } from '@huggingface/transformers';

const [mode, folder, textsFile] = process.argv.slice(2);
const texts = JSON.parse(readFileSync(textsFile, 'utf8'));

// Nothing from the network: the folder is found under localModelPath by its name.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(path.resolve(folder)) + path.sep;
const name = path.basename(path.resolve(folder));
const options = { local_files_only: true };

function encode(tokenizer, item) {
  const [text, pair] = Array.isArray(item) ? item : [item, null];
  const encoded = tokenizer(text, pair === null ? {} : { text_pair: pair });
  return {
    input_ids: Array.from(encoded.input_ids.data, Number),
    token_type_ids: encoded.token_type_ids ? Array.from(encoded.token_type_ids.data, Number) : null,
  };
}

let result;
if (mode === 'classify') {
  const classifier = await pipeline('text-classification', name, { ...options, device: 'cpu' });
  const singles = texts.filter((t) => !Array.isArray(t));
  const scores = await classifier(singles, { top_k: null });
  result = { scores, encodings: texts.map((t) => encode(classifier.tokenizer, t)) };
} else if (mode === 'tokenize') {
  const tokenizer = await AutoTokenizer.from_pretrained(name, options);
  result = { encodings: texts.map((t) => encode(tokenizer, t)) };
} else {
  throw new Error(`unknown mode ${mode}: expected classify or tokenize`);
}
process.stdout.write(JSON.stringify(result));
