// Times an ONNX model in ONNX Runtime (the onnxruntime-node package, CPU
// execution provider), for benchmarks/models.py:
//
//   node ort_bench.js MODEL.onnx THREADS REPS SHAPE_JSON
//
// prints the median seconds of REPS runs after 3 warm-up runs, on a float32
// input of SHAPE (uniform in [-1, 1)). The package is looked up in
// $KILN_ORT_NODE_DIR, else BUILD/peers/node_modules (scripts/setup.sh
// installs it there), as given by $KILN_BUILD_DIR.
const path = require('path');

function loadOrt() {
  const dirs = [];
  if (process.env.KILN_ORT_NODE_DIR) dirs.push(process.env.KILN_ORT_NODE_DIR);
  const build = process.env.KILN_BUILD_DIR || path.join(__dirname, '..', 'build');
  dirs.push(path.join(build, 'peers', 'node_modules', 'onnxruntime-node'));
  for (const dir of dirs) {
    try {
      return require(dir);
    } catch (e) {}
  }
  console.error('ort_bench.js: onnxruntime-node not found in ' + dirs.join(', ') +
                ' (scripts/setup.sh installs it; or set KILN_ORT_NODE_DIR)');
  process.exit(2);
}

(async () => {
  const ort = loadOrt();
  const [model, threads, reps, shapeJson] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: +threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const shape = JSON.parse(shapeJson);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; ++i) data[i] = Math.random() * 2 - 1;
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, shape)};
  for (let i = 0; i < 3; ++i) await session.run(feeds);
  const times = [];
  for (let i = 0; i < +reps; ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  console.log(times[times.length >> 1]);
})().catch((e) => {
  console.error('ort_bench.js: ' + e.message);
  process.exit(1);
});
