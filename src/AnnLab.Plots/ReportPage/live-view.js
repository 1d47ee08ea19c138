// report.html's live view: the model embedded in the page, run forward in plain JavaScript on a
// drawn or picked image, with the same numbers as AnnLab (src/AnnLab/Network). No library, no
// network request: everything comes from the <script type="application/json" id="annlab-data">.
'use strict';
(function () {
  const dataElement = document.getElementById('annlab-data');
  if (!dataElement) {
    return;
  }

  const data = JSON.parse(dataElement.textContent);
  const $ = id => document.getElementById(id);

  // ---- The embedded bytes ------------------------------------------------------------------

  function bytesOf(base64) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i);
    }
    return bytes;
  }

  // float32, little-endian, as AnnLab's parameter vector.
  function floatsOf(base64) {
    const bytes = bytesOf(base64);
    const view = new DataView(bytes.buffer);
    const values = new Float32Array(bytes.length / 4);
    for (let i = 0; i < values.length; i++) {
      values[i] = view.getFloat32(4 * i, true);
    }
    return values;
  }

  // ---- The activations, as src/AnnLab/Network/Activations*.cs define them ---------------------

  // erfc(x), fractional error below 1.2e-7 everywhere (Press, Teukolsky, Vetterling and Flannery,
  // Numerical Recipes in C, 2nd ed., section 6.2, erfcc): AnnLab's GELU uses Cody's erfc, 1e-16.
  function erfc(x) {
    const z = Math.abs(x);
    const t = 1 / (1 + 0.5 * z);
    const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
      t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  const SELU_LAMBDA = 1.0507009873554804934193349852946; // Klambauer et al. 2017, eq. 14
  const SELU_ALPHA = 1.6732632423543772848170429916717;
  const LEAKY_SLOPE = 0.01;

  const activations = {
    sigmoid: z => 1 / (1 + Math.exp(-z)),
    tanh: z => Math.tanh(z),
    relu: z => (z > 0 ? z : 0),
    'leaky-relu': z => (z > 0 ? z : LEAKY_SLOPE * z),
    elu: z => (z > 0 ? z : Math.expm1(z)),
    softplus: z => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))),
    swish: z => z / (1 + Math.exp(-z)),
    gelu: z => z * 0.5 * erfc(-z / Math.SQRT2), // z Phi(z), the exact GELU
    selu: z => (z > 0 ? SELU_LAMBDA * z : SELU_LAMBDA * SELU_ALPHA * Math.expm1(z)),
    identity: z => z,
  };

  // The output layers of src/AnnLab/Network/Outputs: h = sigmoid(z) unit by unit, or softmax(z).
  const outputs = {
    sigmoid: z => z.map(v => 1 / (1 + Math.exp(-v))),
    softmax: z => {
      const max = Math.max.apply(null, Array.from(z));
      const e = z.map(v => Math.exp(v - max));
      const sum = e.reduce((s, v) => s + v, 0);
      return e.map(v => v / sum);
    },
  };

  const network = data.network;
  const missing = network.layers.filter(l => l.kind === 'activation' && !activations[l.function]).map(l => l.function);
  if (!outputs[network.output]) {
    missing.push(network.output + ' (output layer)');
  }
  if (missing.length > 0) {
    $('live-status').textContent = 'The live view is off: this page has no JavaScript for ' + missing.join(', ') +
      '; the tables and figures below are AnnLab\'s own.';
    $('live').hidden = true;
    return;
  }

  const parameters = floatsOf(network.parameters);
  const rows = data.input.rows;
  const columns = data.input.columns;
  const classes = data.classes;

  // ---- The forward pass, in the lab's notation ---------------------------------------------
  //
  // a1 = [1, x]            x = pixels / 255 (the input preparation, data.input.scale)
  // z2 = Theta1 a1         a2 = [1, g(z2)]
  // z3 = Theta2 a2         ...
  // h  = output(z_L)       sigmoid unit by unit (the lab), or softmax
  //
  // AnnLab stores Theta_l as its weights W (fanOut x fanIn, row j = unit j's incoming weights) and
  // biases b (Theta's row 0), layer after layer, W then b, in one flat float32 vector
  // (src/AnnLab/Network/ParameterLayout.cs): Theta_l [1, a] = b + W a. Dropout is off (inference).
  function forward(pixels) {
    let a = new Float64Array(pixels.length);
    for (let p = 0; p < pixels.length; p++) {
      a[p] = Math.fround(pixels[p] / data.input.scale); // float32(x / 255), as AnnLab's PixelConversion
    }

    const hidden = []; // a2, a3, ...: each hidden layer's activations
    let z = null;
    let offset = 0;
    for (const layer of network.layers) {
      if (layer.kind === 'dense') {
        if (z !== null) {
          hidden.push(Array.from(a)); // the previous hidden layer is complete
        }
        const fanIn = a.length;
        const fanOut = layer.units;
        const biases = offset + fanIn * fanOut;
        z = new Float64Array(fanOut);
        for (let j = 0; j < fanOut; j++) {
          let sum = parameters[biases + j]; // Theta[0, j] times a's leading 1
          const row = offset + j * fanIn;
          for (let p = 0; p < fanIn; p++) {
            sum += parameters[row + p] * a[p]; // Theta[p + 1, j] a[p]
          }
          z[j] = sum;
        }
        offset = biases + fanOut;
        a = z.slice();
      } else if (layer.kind === 'activation') {
        a = a.map(activations[layer.function]); // a = g(z)
      } // dropout: the identity in inference
    }

    const scores = Array.from(outputs[network.output](z));
    let predicted = 0; // the largest h, ties to the lowest class (AnnLab's Prediction.ArgMax)
    for (let k = 1; k < scores.length; k++) {
      if (scores[k] > scores[predicted]) {
        predicted = k;
      }
    }
    return { hidden: hidden, z: Array.from(z), scores: scores, predicted: predicted };
  }

  // ---- The embedded images -----------------------------------------------------------------

  const images = data.images;
  const imagePixels = images ? bytesOf(images.pixels) : new Uint8Array(0);
  const labels = images ? bytesOf(images.labels) : new Uint8Array(0);
  const predictions = images ? bytesOf(images.predictions) : new Uint8Array(0);
  const features = rows * columns;
  const imageCount = labels.length;
  const imageOf = i => imagePixels.subarray(i * features, (i + 1) * features);
  const className = k => k + ' ' + classes[k];

  // Draws rows x columns bytes (0 black .. 255 white) on a canvas, scaled without smoothing.
  function paint(canvas, pixels) {
    const small = document.createElement('canvas');
    small.width = columns;
    small.height = rows;
    const context = small.getContext('2d');
    const image = context.createImageData(columns, rows);
    for (let p = 0; p < features; p++) {
      image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = pixels[p];
      image.data[4 * p + 3] = 255;
    }
    context.putImageData(image, 0, 0);
    const target = canvas.getContext('2d');
    target.imageSmoothingEnabled = false;
    target.drawImage(small, 0, 0, canvas.width, canvas.height);
  }

  // ---- The live view -----------------------------------------------------------------------

  const ink = new Uint8Array(features); // what the view shows: drawn, or a copy of a picked image
  let current = null;
  let source = 'empty canvas';

  // Each hidden layer as a near-square grid of cells (5 x 5 for 25 units), brighter = larger a.
  function showHidden(hidden) {
    const box = $('hidden-layers');
    if (box.children.length !== hidden.length) {
      box.textContent = '';
      hidden.forEach(units => {
        const across = Math.ceil(Math.sqrt(units.length));
        const down = Math.ceil(units.length / across);
        const cell = Math.max(4, Math.floor(150 / across));
        const figure = document.createElement('figure');
        const canvas = document.createElement('canvas');
        canvas.width = across * cell;
        canvas.height = down * cell;
        canvas.dataset.across = across;
        canvas.dataset.cell = cell;
        const caption = document.createElement('figcaption');
        figure.append(canvas, caption);
        box.append(figure);
      });
    }
    hidden.forEach((units, l) => {
      const figure = box.children[l];
      const canvas = figure.querySelector('canvas');
      const across = +canvas.dataset.across;
      const cell = +canvas.dataset.cell;
      const g = network.layers.filter(x => x.kind === 'activation')[l];
      const name = g ? g.function : 'identity';
      // sigmoid units are 0..1, tanh -1..1; the others from 0 (or their minimum) to their maximum.
      const low = name === 'sigmoid' ? 0 : name === 'tanh' ? -1 : Math.min(0, Math.min.apply(null, units));
      const high = name === 'sigmoid' || name === 'tanh' ? 1 : Math.max(Math.max.apply(null, units), low + 1e-9);
      const context = canvas.getContext('2d');
      context.fillStyle = '#444';
      context.fillRect(0, 0, canvas.width, canvas.height);
      units.forEach((v, j) => {
        const level = Math.round(255 * Math.min(1, Math.max(0, (v - low) / (high - low))));
        context.fillStyle = 'rgb(' + level + ',' + level + ',' + level + ')';
        context.fillRect((j % across) * cell, Math.floor(j / across) * cell, cell - 1, cell - 1);
      });
      figure.querySelector('figcaption').textContent = 'hidden layer ' + (l + 1) + ': ' + units.length + ' ' + name +
        ' units, a from ' + low.toFixed(2) + ' (black) to ' + high.toFixed(2) + ' (white)';
    });
  }

  function showScores(result) {
    const table = $('scores');
    if (table.rows.length !== classes.length) {
      table.textContent = '';
      classes.forEach((name, k) => {
        const row = table.insertRow();
        row.insertCell().textContent = className(k);
        const bar = document.createElement('div');
        bar.className = 'bar';
        row.insertCell().append(bar);
        row.insertCell().className = 'n';
      });
    }
    result.scores.forEach((h, k) => {
      const row = table.rows[k];
      row.cells[1].firstChild.style.width = (100 * h).toFixed(1) + '%';
      row.cells[2].textContent = h.toFixed(5);
      row.className = k === result.predicted ? 'predicted' : '';
    });
    $('predicted').textContent = 'predicted: ' + className(result.predicted) + ' (h = ' + result.scores[result.predicted].toFixed(5) + ')';
  }

  function update() {
    current = forward(ink);
    paint($('draw'), ink);
    showHidden(current.hidden);
    showScores(current);
    $('source').textContent = source;
    if (window.annlab.firstPredictionMs === null) {
      window.annlab.firstPredictionMs = performance.now();
    }
  }

  // A soft round brush: full ink within 1 pixel of the stroke, fading to none 2.2 pixels out
  // (scaled with the image's size), each pixel keeping the most ink it got.
  const brush = Math.max(rows, columns) / 28;
  function stamp(x, y) {
    const reach = Math.ceil(2.2 * brush);
    for (let r = Math.floor(y) - reach; r <= Math.floor(y) + reach; r++) {
      for (let c = Math.floor(x) - reach; c <= Math.floor(x) + reach; c++) {
        if (r < 0 || r >= rows || c < 0 || c >= columns) {
          continue;
        }
        const d = Math.hypot(c + 0.5 - x, r + 0.5 - y) / brush;
        const v = Math.round(255 * Math.max(0, Math.min(1, 1 - (d - 1) / 1.2)));
        if (v > ink[r * columns + c]) {
          ink[r * columns + c] = v;
        }
      }
    }
  }

  const canvas = $('draw');
  let last = null;
  function at(event) {
    const box = canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) / box.width * columns, y: (event.clientY - box.top) / box.height * rows };
  }
  canvas.addEventListener('pointerdown', event => {
    canvas.setPointerCapture(event.pointerId);
    if (!source.startsWith('drawn')) {
      ink.fill(0);
    }
    source = 'drawn on the canvas';
    last = at(event);
    stamp(last.x, last.y);
    update();
  });
  canvas.addEventListener('pointermove', event => {
    if (last === null) {
      return;
    }
    const p = at(event);
    const steps = Math.max(1, Math.ceil(4 * Math.hypot(p.x - last.x, p.y - last.y)));
    for (let s = 1; s <= steps; s++) {
      stamp(last.x + (p.x - last.x) * s / steps, last.y + (p.y - last.y) * s / steps);
    }
    last = p;
    update();
  });
  const stop = () => { last = null; };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
  $('clear').addEventListener('click', () => {
    ink.fill(0);
    source = 'empty canvas';
    update();
  });

  // Loads embedded image i (0-based, in the embedded order) into the live view.
  function pick(i) {
    if (!(i >= 0 && i < imageCount)) {
      $('source').textContent = 'no embedded image ' + i + ': pick 0..' + (imageCount - 1);
      return;
    }
    ink.set(imageOf(i));
    source = images.part + ' image ' + i + ' of ' + imageCount + ', index ' + images.indices[i] + ' in the data set: true ' +
      className(labels[i]) + ', AnnLab predicted ' + className(predictions[i]);
    $('pick-index').value = i;
    update();
  }

  if (imageCount > 0) {
    $('pick-index').max = imageCount - 1;
    $('pick').addEventListener('click', () => pick(parseInt($('pick-index').value, 10)));
    $('pick-index').addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        pick(parseInt($('pick-index').value, 10));
      }
    });
    $('previous').addEventListener('click', () => pick(Math.max(0, (+$('pick-index').value || 0) - 1)));
    $('next').addEventListener('click', () => pick(Math.min(imageCount - 1, (+$('pick-index').value || 0) + 1)));
  } else {
    $('picker').hidden = true;
  }

  // ---- The confusion matrix's cells list their images -----------------------------------------

  const MAX_LISTED = 500;
  function listCell(t, p) {
    const list = $('cell-images');
    list.textContent = '';
    const members = [];
    for (let i = 0; i < imageCount; i++) {
      if (labels[i] === t && predictions[i] === p) {
        members.push(i);
      }
    }
    $('cell-heading').textContent = members.length + ' embedded ' + (images ? images.part : '') + ' images of true class ' + className(t) +
      ' predicted ' + className(p) + (members.length > MAX_LISTED ? ', the first ' + MAX_LISTED + ' shown' : '') + '; click one to load it above';
    members.slice(0, MAX_LISTED).forEach(i => {
      const figure = document.createElement('figure');
      figure.className = 'thumb';
      figure.dataset.image = i;
      const thumb = document.createElement('canvas');
      thumb.width = 2 * columns;
      thumb.height = 2 * rows;
      paint(thumb, imageOf(i));
      const caption = document.createElement('figcaption');
      caption.textContent = images.indices[i] + ': ' + classes[t] + ' -> ' + classes[p];
      figure.append(thumb, caption);
      figure.addEventListener('click', () => pick(i));
      list.append(figure);
    });
    return members.map(i => images.indices[i]);
  }

  document.querySelectorAll('#confusion td[data-true]').forEach(cell => {
    cell.addEventListener('click', () => listCell(+cell.dataset.true, +cell.dataset.predicted));
  });

  // ---- For tests and the curious: window.annlab ----------------------------------------------

  window.annlab = {
    firstPredictionMs: null,
    forward: pixels => forward(pixels),
    pick: pick,
    listCell: listCell,
    // The live view's state: the pixels (bytes 0..255, row-major), each hidden layer's
    // activations, the output layer's h and the predicted class.
    current: () => ({ pixels: Array.from(ink), hidden: current.hidden, scores: current.scores, predicted: current.predicted, source: source }),
  };

  $('live-status').textContent = '';
  if (imageCount > 0) {
    pick(0);
  } else {
    update();
  }
})();
