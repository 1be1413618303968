// @ts-check
/**
 * The classroom board's page script: fetch the room once (/state.json), then keep it live from
 * server-sent events (/events) — no reload, no framework, nothing from outside the board.
 *
 * Everything a learner sent is untrusted, so this script only ever puts it into the page with
 * textContent: a name like <img src=x onerror=alert(1)> shows as those characters.
 *
 * "Stuck" is decided here, from the room's one threshold (the board keeps it and sends it with
 * the room): the instructor's page changes it on the board, and every page and the CSV export
 * follow. Only the instructor's page (on the board's own machine, which /state.json hands a token)
 * may change the threshold or remove a learner; other pages show the threshold read-only.
 */

/**
 * @typedef {{ at: number, ok: boolean, failedStage: number | null, failed: string[], problem: string | null, startProblem: string | null }} LastCheck
 * @typedef {{ key: string, name: string, label: string, stage: number | null, stageSince: number | null, lastCheck: LastCheck | null, failingSince: number | null, passed: number[], checks: number, left: boolean }} Learner
 * @typedef {{ serverNow: number, stuckMinutes: number, stages: { id: number, title: string }[], learners: Learner[], room?: { code: string, joinAddresses: string[], token: string } | null }} Snapshot
 */

const TICK_MS = 15_000;
/** How long a Remove button waits for its second click. */
const ARMED_MS = 5000;

/** @type {Snapshot | undefined} */
let room;
/** Server time minus page time, so durations use the board's clock. */
let clockOffset = 0;
/** The instructor's token, from /state.json on the board's machine; undefined on any other page. */
/** @type {string | undefined} */
let token;
let code = new URLSearchParams(location.hash.slice(1)).get('code') ?? '';

/** @param {string} id */
function element(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from board.html`);
  return found;
}

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {Record<string, string>} [extra] */
function query(extra = {}) {
  const params = new URLSearchParams(extra);
  if (code) params.set('code', code);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const now = () => Date.now() + clockOffset;

/** @param {number} ms */
function duration(ms) {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** @param {number} ms */
function ago(ms) {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  return minutes < 1 ? 'just now' : `${duration(ms)} ago`;
}

function threshold() {
  return room?.stuckMinutes ?? 10;
}

/**
 * Ask the board to change something (the instructor's page only). A board restarted since the
 * page loaded has a new token: fetch it once and try again.
 * @param {string} path @param {unknown} body
 */
async function manage(path, body, retried = false) {
  if (!token) return false;
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Board-Token': token }, body: JSON.stringify(body), cache: 'no-store' });
  } catch {
    setStatus('reconnecting', 'The board is not answering; try again in a moment.');
    return false;
  }
  if (response.status === 403 && !retried) {
    const fresh = await fetch(`/state.json${query()}`, { cache: 'no-store' }).then((r) => r.json()).catch(() => undefined);
    token = fresh?.room?.token;
    return manage(path, body, true);
  }
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    setStatus('denied', answer.message ?? `The board said no (HTTP ${response.status}).`);
    return false;
  }
  return true;
}

/** @param {Learner} learner */
function stuckFor(learner) {
  const check = learner.lastCheck;
  if (learner.left || !check || check.ok || learner.failingSince === null) return undefined;
  const failingFor = now() - learner.failingSince;
  return failingFor >= threshold() * 60_000 ? failingFor : undefined;
}

/** @param {number | null} id */
function stageTitle(id) {
  const stage = room?.stages.find((s) => s.id === id);
  return stage ? `${stage.id} · ${stage.title}` : '—';
}

/** @param {string} state @param {string} text */
function setStatus(state, text) {
  const status = element('status');
  status.dataset.state = state;
  status.textContent = text;
}

function renderStageBar() {
  if (!room) return;
  const active = room.learners.filter((l) => !l.left);
  const bar = element('stage-bar');
  const most = Math.max(1, ...room.stages.map((s) => active.filter((l) => l.stage === s.id).length));
  bar.replaceChildren(...room.stages.map((stage) => {
    const here = active.filter((l) => l.stage === stage.id);
    const passed = here.filter((l) => l.lastCheck?.ok).length;
    const item = make('li', 'stage');
    item.dataset.stage = String(stage.id);
    item.dataset.count = String(here.length);
    const column = make('div', 'column');
    const fill = make('div', 'fill');
    fill.style.height = `${(here.length / most) * 100}%`;
    const passedFill = make('div', 'fill-passed');
    passedFill.style.height = here.length ? `${(passed / here.length) * 100}%` : '0';
    fill.append(passedFill);
    column.append(fill);
    const count = make('span', 'count', String(here.length));
    const label = make('span', 'stage-title');
    label.append(make('span', 'stage-id', String(stage.id)), document.createTextNode(stage.title));
    const note = make('span', 'stage-note', passed ? `${passed} passed` : '\u00a0');
    item.title = `${here.length} on stage ${stage.id} (${stage.title}), ${passed} of them passed it`;
    item.append(count, column, label, note);
    return item;
  }));
}

/** @param {Learner} learner */
function lastCheckCell(learner) {
  const cell = make('td', 'last-check');
  const check = learner.lastCheck;
  if (!check) {
    cell.append(make('span', 'muted', 'No check yet'));
    return cell;
  }
  if (check.ok) {
    cell.append(make('span', 'passed', '✓ Passed'), make('span', 'when', ` · ${ago(now() - check.at)}`));
    return cell;
  }
  const requirement = check.failed[0] ?? 'The server could not be checked';
  const line = make('div', 'failing');
  line.append(make('span', 'cross', '✗ '), make('span', 'requirement', requirement));
  if (check.failed.length > 1) line.append(make('span', 'more', ` (+${check.failed.length - 1} more)`));
  cell.append(line);
  if (check.problem) cell.append(make('div', 'problem', check.problem));
  const where = check.failedStage !== null && check.failedStage !== learner.stage ? `stage ${check.failedStage}, an earlier stage · ` : '';
  cell.append(make('div', 'when', `${where}${ago(now() - check.at)}`));
  return cell;
}

/** @param {Learner} learner @param {number | undefined} stuck */
function row(learner, stuck) {
  const tr = make('tr');
  tr.dataset.learner = learner.key;
  if (stuck !== undefined) tr.dataset.stuck = 'true';
  if (learner.left) tr.dataset.left = 'true';
  if (learner.lastCheck && !learner.lastCheck.ok) tr.dataset.failing = 'true';

  const name = make('td', 'name');
  const shown = make('span', 'learner-name', learner.label);
  if (learner.label !== learner.name) {
    tr.dataset.sameName = 'true';
    shown.title = `Joined as "${learner.name}", like a learner who joined before them`;
  }
  name.append(shown);
  if (stuck !== undefined) name.append(make('span', 'badge stuck-badge', `stuck ${duration(stuck)}`));
  if (learner.left) name.append(make('span', 'badge left-badge', 'left'));
  const stage = make('td', 'stage-cell', stageTitle(learner.stage));
  const onStage = make('td', 'on-stage', learner.stageSince === null ? '—' : duration(now() - learner.stageSince));
  tr.append(name, stage, lastCheckCell(learner), onStage);
  if (token) tr.append(actionsCell(learner));
  return tr;
}

/** Remove takes two clicks, so a slip of the mouse on a projected board removes no one. @param {Learner} learner */
function actionsCell(learner) {
  const cell = make('td', 'actions');
  const button = /** @type {HTMLButtonElement} */ (make('button', 'remove', 'Remove'));
  button.type = 'button';
  button.title = `Take ${learner.label} off the board; their next check is refused`;
  button.addEventListener('click', async () => {
    if (button.dataset.armed !== 'true') {
      button.dataset.armed = 'true';
      button.textContent = `Remove ${learner.label}?`;
      setTimeout(() => {
        if (!button.isConnected) return;
        delete button.dataset.armed;
        button.textContent = 'Remove';
      }, ARMED_MS);
      return;
    }
    button.disabled = true;
    if (await manage('/api/remove', { key: learner.key })) button.closest('tr')?.remove();
    else button.disabled = false;
  });
  cell.append(button);
  return cell;
}

function renderTable() {
  if (!room) return;
  // A row whose Remove is waiting for its second click is kept as it is until then.
  const armed = document.querySelector('button.remove[data-armed="true"]');
  if (armed) return;
  const withStuck = room.learners.map((learner) => ({ learner, stuck: stuckFor(learner) }));
  // Stuck first (longest first), then everyone else from the earliest stage, then those who left.
  withStuck.sort((a, b) =>
    Number(a.learner.left) - Number(b.learner.left)
    || Number(b.stuck !== undefined) - Number(a.stuck !== undefined)
    || (b.stuck ?? 0) - (a.stuck ?? 0)
    || (a.learner.stage ?? 0) - (b.learner.stage ?? 0)
    || a.learner.name.localeCompare(b.learner.name));
  element('learners').replaceChildren(...withStuck.map(({ learner, stuck }) => row(learner, stuck)));
  element('empty').hidden = room.learners.length > 0;

  const active = room.learners.filter((l) => !l.left);
  const stuckCount = withStuck.filter((s) => s.stuck !== undefined).length;
  const last = room.stages.at(-1);
  const finished = last ? active.filter((l) => l.passed.includes(last.id)).length : 0;
  element('counts').textContent = `${active.length} ${active.length === 1 ? 'learner' : 'learners'} · ${stuckCount} stuck · ${finished} finished`;
}

function render() {
  renderStageBar();
  renderTable();
  const input = /** @type {HTMLInputElement} */ (element('stuck-minutes'));
  input.disabled = !token;
  input.title = token ? 'One setting for the whole room: every page and the CSV export use it' : 'Set by the instructor for the whole room';
  if (document.activeElement !== input) input.value = String(threshold());
  element('actions-heading').hidden = !token;
  element('export').setAttribute('href', `/export.csv${query()}`);
}

/** @param {Snapshot} next */
function receive(next) {
  room = next;
  clockOffset = next.serverNow - Date.now();
  render();
}

/** @param {{ code: string, joinAddresses: string[] }} info */
function showRoom(info) {
  element('room').hidden = false;
  element('room-code').textContent = info.code;
  const list = element('join-commands');
  const addresses = info.joinAddresses.length ? info.joinAddresses : [location.host];
  list.replaceChildren(...addresses.map((address) => {
    const item = make('li');
    item.append(make('code', undefined, `npm run classroom -- join ${address} ${info.code} --name "Your name"`));
    return item;
  }));
  element('join').hidden = false;
}

function showAccessForm(message = '') {
  element('board').hidden = true;
  element('access').hidden = false;
  const error = element('access-error');
  error.hidden = !message;
  error.textContent = message;
  setStatus('denied', 'Room code needed');
}

/** @type {EventSource | undefined} */
let source;

function connect() {
  source?.close();
  source = new EventSource(`/events${query()}`);
  source.onopen = () => setStatus('live', 'Live');
  source.onmessage = (event) => receive(JSON.parse(event.data));
  // EventSource reconnects by itself; say so, and keep showing the last known room.
  source.onerror = () => setStatus('reconnecting', 'Reconnecting…');
}

async function start() {
  let response;
  try {
    response = await fetch(`/state.json${query()}`, { cache: 'no-store' });
  } catch {
    setStatus('reconnecting', 'The board is not answering; retrying…');
    setTimeout(start, 3000);
    return;
  }
  if (response.status === 403 || response.status === 429) {
    showAccessForm(code ? (response.status === 429 ? 'Too many wrong codes: wait a minute, then try again.' : 'That is not this room\'s code.') : '');
    return;
  }
  /** @type {Snapshot} */
  const state = await response.json();
  element('access').hidden = true;
  element('board').hidden = false;
  token = state.room?.token;
  if (state.room) showRoom(state.room);
  receive(state);
  connect();
}

element('access').addEventListener('submit', (event) => {
  event.preventDefault();
  code = /** @type {HTMLInputElement} */ (element('access-code')).value.trim();
  // The code stays in the fragment, which browsers never send to a server or a log.
  history.replaceState(null, '', `#code=${encodeURIComponent(code)}`);
  void start();
});

element('stuck-minutes').addEventListener('change', async (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  const value = Number(input.value);
  if (!Number.isFinite(value) || value < 1) return;
  const minutes = Math.min(240, Math.round(value));
  // The board sends the room back to every page, this one too, once it has the new threshold.
  if (await manage('/api/settings', { stuckMinutes: minutes }) && room) {
    room = { ...room, stuckMinutes: minutes };
    render();
  }
});

setInterval(render, TICK_MS);
void start();
