// Reference outputs of TF.js graph models from @tensorflow/tfjs (pure-JS CPU backend, offline).
// Usage: node tfjs-reference.mjs <model-dir> <case-dir>
// <case-dir>/cases.json lists {id, graph, file, shape, dtype}: graph is the file stem in <model-dir>
// (movenet-lightning, blazepose-lite, ...), file the raw little-endian input (int32 or float32).
// Writes every signature output of case <id> to <case-dir>/<id>.<output>.f32 (little-endian float32) and
// prints {tfjsVersion, results: [{id, outputs: [{key, shape}]}]} on stdout, outputs in signature order.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [modelDir, caseDir] = process.argv.slice(2);
if (!modelDir || !caseDir) {
  throw new Error('usage: node tfjs-reference.mjs <model-dir> <case-dir>');
}

// Reading a buffer as its own ArrayBuffer: Node pools small buffers, so slice to the exact bytes.
const toArrayBuffer = (buf) => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);

async function loadModel(graph) {
  const json = JSON.parse(readFileSync(join(modelDir, `${graph}.json`), 'utf8'));
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
  const outputs = Object.entries(json.signature.outputs).map(([key, spec]) => ({ key, name: spec.name }));
  return { model: await tf.loadGraphModel(handler), outputs };
}

await tf.setBackend('cpu');
const cases = JSON.parse(readFileSync(join(caseDir, 'cases.json'), 'utf8'));
const models = new Map();
const results = [];
for (const c of cases) {
  if (!models.has(c.graph)) models.set(c.graph, await loadModel(c.graph));
  const { model, outputs } = models.get(c.graph);
  const raw = toArrayBuffer(readFileSync(join(caseDir, c.file)));
  const input = tf.tensor(c.dtype === 'float32' ? new Float32Array(raw) : new Int32Array(raw), c.shape, c.dtype);
  const started = performance.now();
  const tensors = [model.execute(input, outputs.map((o) => o.name))].flat();
  const written = [];
  for (const [i, tensor] of tensors.entries()) {
    const values = Float32Array.from(await tensor.data());
    writeFileSync(join(caseDir, `${c.id}.${outputs[i].key}.f32`), Buffer.from(values.buffer));
    written.push({ key: outputs[i].key, shape: tensor.shape });
  }
  process.stderr.write(`${c.id}: ${(performance.now() - started).toFixed(0)} ms\n`);
  results.push({ id: c.id, outputs: written });
  tf.dispose([input, ...tensors]);
}
process.stdout.write(JSON.stringify({ tfjsVersion: tf.version.tfjs, results }));
