// Reference outputs of the MoveNet graph models from @tensorflow/tfjs (pure-JS CPU backend, offline).
// Usage: node tfjs-reference.mjs <model-dir> <case-dir>
// <case-dir>/cases.json lists {id, model, file, shape}; each file holds the raw little-endian int32 input.
// Prints {tfjsVersion, results: [{id, model, outputShape, output}]} on stdout.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [modelDir, caseDir] = process.argv.slice(2);
if (!modelDir || !caseDir) {
  throw new Error('usage: node tfjs-reference.mjs <model-dir> <case-dir>');
}

// Reading a buffer as its own ArrayBuffer: Node pools small buffers, so slice to the exact bytes.
const toArrayBuffer = (buf) => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);

async function loadModel(name) {
  const json = JSON.parse(readFileSync(join(modelDir, `movenet-${name}.json`), 'utf8'));
  const weights = readFileSync(join(modelDir, json.weightsManifest[0].paths[0]));
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: toArrayBuffer(weights),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
  });
  return tf.loadGraphModel(handler);
}

await tf.setBackend('cpu');
const cases = JSON.parse(readFileSync(join(caseDir, 'cases.json'), 'utf8'));
const models = new Map();
const results = [];
for (const c of cases) {
  if (!models.has(c.model)) models.set(c.model, await loadModel(c.model));
  const data = new Int32Array(toArrayBuffer(readFileSync(join(caseDir, c.file))));
  const input = tf.tensor(data, c.shape, 'int32');
  const started = performance.now();
  const output = models.get(c.model).execute(input);
  const values = Array.from(await output.data());
  process.stderr.write(`${c.id}: ${(performance.now() - started).toFixed(0)} ms\n`);
  results.push({ id: c.id, model: c.model, outputShape: output.shape, output: values });
  tf.dispose([input, output]);
}
process.stdout.write(JSON.stringify({ tfjsVersion: tf.version.tfjs, results }));
