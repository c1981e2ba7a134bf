// The sample's page: polls this instance's cluster view (its lockstep Actuator endpoint, and each
// peer's) and draws one card per primitive, with each instance's own holders and waiters.
// Plain browser JavaScript, no build step.
'use strict';

const REFRESH_MS = 500;
const HISTORY = 60;

// What each of the sample's primitives is for, and the scenario endpoint that checks its invariant.
const SCENARIOS = {
  'account': {
    about: 'Bank account: withdrawals wait on a Condition until deposits cover them',
    path: 'bank',
    check: (s) => `balance ${s.balance}, lowest ever ${s.lowestBalance}; deposited − withdrawn = ${s.deposited - s.withdrawn}`,
  },
  'db-pool': {
    about: 'Database pool: @Throttled(permits = 5) over CompletableFuture queries',
    path: 'db',
    check: (s) => `${s.inFlight} queries running, at most ${s.peakInFlight} at once`,
  },
  'counter': {
    about: 'Shared counter: read-modify-write under @Guarded',
    path: 'counter',
    check: (s) => `count ${s.count}`,
  },
  'cache-warm': {
    about: 'Cache warm-up: @AwaitEvent until a @SetEvent load has finished',
    path: 'cache',
    check: (s) => `catalog version ${s.version}, ${s.warm ? 'warm' : 'cold: prices wait'}`,
  },
  'batch': {
    about: 'Batch: 5 workers meet at an @AwaitBarrier, then start together',
    path: 'batch',
    check: (s) => `${s.started} shards started, ${s.finished} finished`,
  },
  'tickets': {
    about: 'Bounded semaphore: a return that would make more than 3 tickets is refused (409)',
    path: 'tickets',
    check: (s) => `tickets in the office: ${s.available} of 3`,
    try: { label: 'return a ticket nobody took', path: 'tickets/return' },
  },
  'subprocesses': {
    about: 'Subprocesses (ProcessBuilder, onExit()) at most 2 at a time',
    path: 'subprocesses',
    check: (s) => `${s.running} processes running, at most ${s.peakRunning} at once`,
  },
};

// The figures each kind shows, in order, as in the endpoint's answer.
const FIELDS = {
  semaphore: ['available', 'permits', 'waiting', 'locked', 'contended'],
  lock: ['locked', 'waiting', 'contended'],
  condition: ['locked', 'waiting', 'contended'],
  event: ['set', 'waiting', 'contended'],
  barrier: ['parties', 'waiting', 'broken', 'contended'],
};

// Actions the endpoint takes for a kind (POST actuator/lockstep/{name} {"action": …}).
const ACTIONS = { event: ['set', 'clear'], barrier: ['reset', 'abort'] };

const cards = new Map();
const container = document.getElementById('primitives');

function show(value) {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return value === undefined ? '–' : String(value);
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function card(primitive) {
  const scenario = SCENARIOS[primitive.name];
  const node = element('article', { 'class': 'primitive', 'data-primitive': primitive.name, 'data-kind': primitive.kind });
  const title = element('h2', {}, primitive.name);
  title.append(element('span', { 'class': 'kind' }, primitive.kind), element('span', { 'class': 'state' }));
  node.append(title, element('p', { 'class': 'scenario' }, scenario ? scenario.about : ''),
    element('p', { 'class': 'backend', 'data-backend': primitive.backend || '' }, primitive.backend === 'redis'
      ? 'On Redis: the figures below are the cluster\'s, shared by every instance'
      : 'In memory: the figures below are this instance\'s; each instance has its own'));
  if (primitive.kind === 'semaphore' && primitive.permits) node.append(element('div', { 'class': 'meter' }));
  node.append(element('div', { 'class': 'queue', 'title': 'waiters' }));
  const figures = element('dl');
  for (const field of FIELDS[primitive.kind] || ['waiting']) {
    figures.append(element('dt', {}, field), element('dd', { 'data-field': field }));
  }
  node.append(figures, element('ul', { 'class': 'use', 'title': 'each instance\'s own callers' }));
  node.insertAdjacentHTML('beforeend', `<svg class="history" viewBox="0 0 ${HISTORY - 1} 36" preserveAspectRatio="none">`
    + '<title>waiters over the last 30 s</title><polyline vector-effect="non-scaling-stroke" points=""></polyline></svg>');
  node.append(element('div', { 'class': 'check', 'data-check': primitive.name }));
  if (scenario && scenario.try) {
    const button = element('button', { 'type': 'button', 'data-try': primitive.name }, scenario.try.label);
    const answer = element('div', { 'class': 'answer', 'data-answer': primitive.name });
    button.addEventListener('click', () => tryOut(scenario.try.path, answer));
    const bar = element('div', { 'class': 'actions' });
    bar.append(button);
    node.append(bar, answer);
  }
  const actions = ACTIONS[primitive.kind];
  if (actions) {
    const bar = element('div', { 'class': 'actions' });
    for (const action of actions) {
      const button = element('button', { 'type': 'button', 'data-action': action }, action);
      button.addEventListener('click', () => send(`actuator/lockstep/${encodeURIComponent(primitive.name)}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action }),
      }));
      bar.append(button);
    }
    node.append(bar);
  }
  container.append(node);
  return { node, history: [] };
}

function state(primitive) {
  switch (primitive.kind) {
    case 'event': return primitive.set ? ['set', ''] : ['clear', 'busy'];
    case 'barrier': return primitive.broken ? ['broken', 'bad'] : [`${primitive.waiting} of ${primitive.parties} arrived`, primitive.waiting ? 'busy' : ''];
    default: return primitive.locked ? ['in use', 'busy'] : ['free', ''];
  }
}

// One line per instance: its callers holding and waiting. For a primitive on Redis the shares are
// Redis's own list of holders and waiters, read at one moment (so they add up to the cluster's
// figures, and a down instance's holds show until its lease ends); otherwise each instance's count.
function showUse(node, primitive, cluster) {
  const shares = primitive.backend === 'redis' && cluster.redis && cluster.redis[primitive.name];
  const lines = cluster.instances.map((instance) => {
    const line = element('li', { 'data-use': instance.instance, 'data-up': String(instance.up) });
    line.append(element('b', {}, instance.instance));
    const use = shares ? (shares[instance.redisInstance] || { holding: 0, waiting: 0 })
      : instance.up && instance.view.use[primitive.name];
    if (!instance.up) line.append(' down');
    if (use && (instance.up || use.holding || use.waiting)) {
      if (use.holding !== null && use.holding !== undefined) {
        line.setAttribute('data-holding', use.holding);
        line.append(` holding ${use.holding}`);
      }
      line.setAttribute('data-waiting', use.waiting);
      line.append(` waiting ${use.waiting}`);
      if (!instance.up) line.append(' until its lease ends');
    }
    return line;
  });
  node.querySelector('.use').replaceChildren(...lines);
}

function update(primitive, cluster) {
  let entry = cards.get(primitive.name);
  if (!entry) {
    entry = card(primitive);
    cards.set(primitive.name, entry);
  }
  const node = entry.node;
  for (const dd of node.querySelectorAll('[data-field]')) dd.textContent = show(primitive[dd.dataset.field]);
  const [text, tone] = state(primitive);
  const badge = node.querySelector('.state');
  badge.textContent = text;
  badge.className = 'state ' + tone;
  const meter = node.querySelector('.meter');
  if (meter) {
    const used = primitive.permits - primitive.available;
    meter.replaceChildren(...Array.from({ length: primitive.permits }, (_, i) => element('i', i < used ? { 'class': 'used' } : {})));
  }
  showUse(node, primitive, cluster);
  const queue = node.querySelector('.queue');
  queue.replaceChildren(...Array.from({ length: Math.min(primitive.waiting, 40) }, () => element('i')));
  entry.history.push(primitive.waiting);
  if (entry.history.length > HISTORY) entry.history.shift();
  const peak = Math.max(1, ...entry.history);
  const offset = HISTORY - entry.history.length;
  node.querySelector('polyline').setAttribute('points',
    entry.history.map((waiting, i) => `${offset + i},${36 - (waiting / peak) * 34 - 1}`).join(' '));
}

async function json(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) {
    const body = await response.text();
    throw new Error(`${options && options.method || 'GET'} ${path}: ${response.status} ${body}`);
  }
  return response.json();
}

const error = document.getElementById('error');
const notice = document.getElementById('notice');

// A button's request that failed: shown until the next button is pressed (refreshes do not hide it).
function failed(problem) {
  notice.textContent = problem.message;
  notice.hidden = false;
}

async function refresh() {
  try {
    const cluster = await json('cluster');
    cluster.instances[0].view.primitives.forEach((primitive) => update(primitive, cluster));
    showInstances(cluster.instances);
    error.hidden = true;
    document.getElementById('updated').textContent = new Date().toLocaleTimeString();
  }
  catch (problem) {
    error.textContent = `Could not refresh: ${problem.message}`;
    error.hidden = false;
  }
}

// The instances bar: each instance, up or down, its load, and (cluster profile) a kill -9 button.
function showInstances(instances) {
  const bar = document.getElementById('instances');
  const items = instances.map((instance, index) => {
    const item = element('li', { 'data-instance': instance.instance, 'data-up': String(instance.up), 'class': instance.up ? 'up' : 'down' });
    item.append(element('b', {}, instance.instance + (index === 0 ? ' (this page)' : '')));
    item.append(' ' + (instance.up ? describe(instance.view.load) : `down: ${instance.error}`));
    if (instance.up && instance.view.canHalt) {
      const path = index === 0 ? 'cluster/halt' : `cluster/halt?peer=${encodeURIComponent(instance.url)}`;
      const button = element('button', { 'type': 'button', 'data-halt': instance.instance }, 'kill -9');
      button.addEventListener('click', () => send(path, { method: 'POST' }));
      item.append(' ', button);
    }
    return item;
  });
  bar.replaceChildren(...items);
}

async function refreshChecks() {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const target = document.querySelector(`[data-check="${name}"]`);
    if (!target) continue;
    try {
      target.textContent = scenario.check(await json(scenario.path));
    }
    catch (problem) {
      target.textContent = problem.message;
    }
  }
}

function describe(load) {
  const seconds = (millis) => Math.round(millis / 1000);
  const failed = Object.values(load.failures).reduce((sum, byType) => sum + Object.values(byType).reduce((a, b) => a + b, 0), 0);
  const calls = Object.values(load.calls).reduce((a, b) => a + b, 0);
  if (!load.running && !load.durationMillis) return 'No load has run yet.';
  const what = `${calls.toLocaleString()} calls, ${failed} refused or timed out`;
  return load.running
    ? `Load running: ${seconds(load.elapsedMillis)} s of ${seconds(load.durationMillis)} s, ${what}`
    : `Load ended after ${seconds(load.elapsedMillis)} s: ${what}`;
}

// The load's status comes from the poll and from the answers to Start and Stop; of these, the answer
// to the request sent last is the one shown, so a poll sent before a click never undoes what it showed.
let loadAsked = 0;
let loadShown = 0;

async function showLoad(request) {
  const asked = ++loadAsked;
  const load = await request;
  if (asked < loadShown) return;
  loadShown = asked;
  document.getElementById('load-status').textContent = describe(load);
  document.getElementById('load-start').disabled = load.running;
  document.getElementById('load-stop').disabled = !load.running;
}

async function refreshLoad() {
  try {
    await showLoad(json('load'));
  }
  catch (problem) {
    document.getElementById('load-status').textContent = problem.message;
  }
}

// Calls a scenario endpoint and shows its answer, a 409 problem detail included.
async function tryOut(path, answer) {
  notice.hidden = true;
  try {
    const response = await fetch(path, { method: 'POST' });
    const body = await response.json().catch(() => ({}));
    answer.textContent = `${response.status}: ${body.detail || JSON.stringify(body)}`;
  }
  catch (problem) {
    answer.textContent = `POST ${path}: ${problem.message}`;
  }
}

// A button's request, whose answer goes to show if given; a failure shows in the notice, which
// refreshes leave alone.
async function send(path, options, show = async (answer) => answer) {
  notice.hidden = true;
  try {
    await show(json(path, options));
  }
  catch (problem) {
    failed(problem);
  }
}

// Start and Stop show the status they are answered with at once: Stop is usable the moment a load runs.
document.getElementById('load-start').addEventListener('click', () => send('load?duration=30s', { method: 'POST' }, showLoad));
document.getElementById('load-stop').addEventListener('click', () => send('load', { method: 'DELETE' }, showLoad));

// Each poll starts only once the previous one has answered, so an older answer never paints over a newer one.
async function every(millis, poll) {
  await poll();
  setTimeout(() => every(millis, poll), millis);
}

every(REFRESH_MS, refresh);
every(1000, refreshChecks);
every(1000, refreshLoad);
