'use strict';
// The job console: recent jobs from GET /jobs, one job's events from GET /jobs/{id}/events
// (Server-Sent Events read with fetch, so an access token can travel in a header). Read-only;
// every value from the service reaches the page as text, never as markup.
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // ---- access token, only when the service asks for one (401)
  let token = sessionStorage.getItem('agentExecutorToken') || '';
  const withToken = (headers) => (token ? Object.assign({ Authorization: 'Bearer ' + token }, headers) : headers);
  const needToken = () => { $('token-form').hidden = false; };
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem('agentExecutorToken', token);
    $('token-form').hidden = true;
    route();
  });
  const setLive = (on) => {
    $('live').className = 'live ' + (on ? 'on' : 'off');
    $('live').textContent = on ? 'live' : 'reconnecting';
  };
  async function getJson(path) {
    const response = await fetch(path, { headers: withToken({ Accept: 'application/json' }), cache: 'no-store' });
    if (response.status === 401 || response.status === 403) { needToken(); throw new Error('needs a token'); }
    if (!response.ok) throw new Error(path + ' answered ' + response.status);
    return response.json();
  }

  // ---- formatting
  const seconds = (s) => (s === null || s === undefined ? '' : s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s');
  const age = (iso) => {
    const s = (Date.now() - Date.parse(iso)) / 1000;
    return s < 60 ? Math.max(0, Math.round(s)) + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : s < 86400 ? Math.round(s / 3600) + ' h ago' : Math.round(s / 86400) + ' d ago';
  };
  const pretty = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  const statusBadge = (status) => el('span', 'status ' + status, status);

  // ---- routing: #/ is the list, #/jobs/<id> one job
  let stopCurrent = () => {};
  function route() {
    stopCurrent();
    const match = location.hash.match(/^#\/jobs\/(.+)$/);
    if (match) showJob(decodeURIComponent(match[1])); else showList();
  }
  window.addEventListener('hashchange', route);
  $('status-filter').addEventListener('change', route);

  // ---- the list of recent jobs, refreshed every 2 s
  function showList() {
    $('list-view').hidden = false;
    $('job-view').hidden = true;
    document.title = 'agent-executor · jobs';
    let stopped = false;
    let timer = null;
    const refresh = async () => {
      try {
        const status = $('status-filter').value;
        const listing = await getJson('/jobs?limit=50' + (status ? '&status=' + status : ''));
        renderJobs(listing.jobs);
        setLive(true);
      } catch (e) {
        setLive(false);
      }
      if (!stopped) timer = setTimeout(refresh, 2000);
    };
    refresh();
    stopCurrent = () => { stopped = true; clearTimeout(timer); };
  }

  function renderJobs(jobs) {
    const body = $('jobs').querySelector('tbody');
    body.replaceChildren(...jobs.map((job) => {
      const row = el('tr');
      const link = el('a', null, job.job_id);
      link.href = '#/jobs/' + encodeURIComponent(job.job_id);
      const first = el('td');
      first.append(link);
      const status = el('td');
      status.append(statusBadge(job.status));
      const error = el('td', 'error', job.error ? (job.error_type ? job.error_type + ': ' : '') + job.error : '');
      error.title = job.error || '';
      row.append(first, status, el('td', null, age(job.created_at)), el('td', null, seconds(job.duration_seconds)),
        el('td', null, job.tokens ? String(job.tokens) : ''), error);
      return row;
    }));
    $('jobs-empty').hidden = jobs.length > 0;
  }

  // ---- one job: a model rebuilt from its events
  function newJob(jobId) {
    return { jobId, nodes: new Map(), root: null, stack: [], files: {}, todos: [], status: 'waiting', outcome: null,
      interrupts: [], notice: null, lastSeq: 0, firstTs: null, lastTs: null, row: null, userShown: false };
  }

  function addNode(job, key, agentId, name, callId, parent, task) {
    const node = { key, agentId, name, callId, parent, task, status: 'running', entries: [], children: [], streaming: null };
    job.nodes.set(key, node);
    if (parent) parent.children.push(node);
    return node;
  }

  /**
   * The delegations an agent makes while an earlier one of its own still runs share that one's row
   * of lanes, so specialists at work at once are seen side by side; a later one starts a new row.
   */
  function delegate(job, parent, child) {
    const last = parent.entries[parent.entries.length - 1];
    if (last && last.kind === 'delegations' && last.nodes.some((node) => node.status === 'running')) last.nodes.push(child);
    else parent.entries.push({ kind: 'delegations', nodes: [child] });
    job.stack.push(child);
  }

  /** A delegation leaves the stack with the ones it made; its siblings at work stay. */
  function undelegate(job, child) {
    const within = (node) => node && (node === child || within(node.parent));
    job.stack = job.stack.filter((node) => !within(node));
  }

  /**
   * The delegation an event speaks in: the one its task_call_id names (docs/events.md), else, for
   * the orchestrator and for streams written before that field, the innermost one at work for its agent.
   */
  function nodeOf(job, event) {
    const agent = event.agent;
    if (!job.root) {
      job.root = addNode(job, 'root', null, 'orchestrator', null, null, null);
      job.stack = [job.root];
    }
    if (event.task_call_id) return delegationOf(job, event.task_call_id, event.parent_task_call_id, agent);
    if (!agent) return job.root;
    for (let i = job.stack.length - 1; i >= 0; i--) {
      const node = job.stack[i];
      if (node.agentId === agent.id) { node.name = agent.name; return node; }
      if (!node.agentId && (node.name === agent.name || node === job.root)) { node.agentId = agent.id; node.name = agent.name; return node; }
    }
    return job.stack[job.stack.length - 1];
  }

  /** The node of a delegation, made here when its on_tool_start is not among the events read (a snapshot replaced it). */
  function delegationOf(job, taskCallId, parentTaskCallId, agent) {
    let node = job.nodes.get('task:' + taskCallId);
    if (!node) {
      const parent = (parentTaskCallId && job.nodes.get('task:' + parentTaskCallId)) || job.root;
      node = addNode(job, 'task:' + taskCallId, null, agent ? agent.name : 'specialist', taskCallId, parent, null);
      delegate(job, parent, node);
    }
    if (agent) { node.agentId = agent.id; node.name = agent.name; }
    return node;
  }

  function finishStreaming(node) {
    if (node.streaming) { node.streaming.streaming = false; node.streaming = null; }
  }

  function closeAll(job, status) {
    job.nodes.forEach((node) => { finishStreaming(node); if (node.status === 'running') node.status = status; });
  }

  function entriesFrom(messages) {
    const entries = [];
    const tools = new Map();
    (messages || []).forEach((message) => {
      if (message.role === 'user' || (message.role === 'assistant' && message.content)) {
        entries.push({ kind: 'msg', role: message.role, text: message.content || '' });
      }
      (message.tool_calls || []).forEach((call) => {
        const entry = { kind: 'tool', id: call.id, name: call.name, input: call.arguments, output: null };
        tools.set(call.id, entry);
        entries.push(entry);
      });
      if (message.role === 'tool' && tools.has(message.tool_call_id)) tools.get(message.tool_call_id).output = message.content;
    });
    return entries;
  }

  /** A trimmed stream begins with the job's last checkpoint instead of its first events. */
  function applySnapshot(job, data) {
    job.nodes = new Map();
    job.root = addNode(job, 'root', null, 'orchestrator', null, null, null);
    job.root.entries = entriesFrom(data.messages);
    job.userShown = true;
    job.stack = [job.root];
    (data.frames || []).forEach((frame) => {
      const parent = job.stack[job.stack.length - 1];
      const node = addNode(job, 'task:' + frame.task_call_id, frame.agent, frame.agent, frame.task_call_id, parent, null);
      node.entries = entriesFrom(frame.messages);
      delegate(job, parent, node);
    });
    job.files = data.files || {};
    job.todos = data.todos || [];
    job.notice = 'Events ' + data.replaces.from + ' to ' + data.replaces.to + ' are no longer kept; shown from the last checkpoint.';
  }

  function apply(job, event) {
    const data = event.data || {};
    if (event.ts) { job.firstTs = job.firstTs || event.ts; job.lastTs = event.ts; }
    if (job.status === 'interrupted' && event.event_type !== 'resume_rejected') job.interrupts = [];
    if (['waiting', 'retrying', 'interrupted'].includes(job.status) && event.event_type !== 'resume_rejected') job.status = 'running';
    switch (event.event_type) {
      case 'snapshot':
        applySnapshot(job, data);
        break;
      case 'on_llm_stream': {
        const node = nodeOf(job, event);
        if (data.content) {
          if (!node.streaming) {
            node.streaming = { kind: 'msg', role: 'assistant', text: '', streaming: true };
            node.entries.push(node.streaming);
          }
          node.streaming.text += data.content;
        }
        break;
      }
      case 'on_tool_start': {
        const node = nodeOf(job, event);
        finishStreaming(node);
        const input = data.input || {};
        if (data.name === 'task') {
          const known = job.nodes.get('task:' + data.tool_call_id);
          if (known) known.task = input.description;
          else delegate(job, node, addNode(job, 'task:' + data.tool_call_id, null, input.subagent_type || 'specialist', data.tool_call_id, node, input.description));
        } else {
          node.entries.push({ kind: 'tool', id: data.tool_call_id, name: data.name, input, output: null });
        }
        break;
      }
      case 'on_tool_end': {
        const child = data.name === 'task' ? job.nodes.get('task:' + data.tool_call_id) : null;
        if (child) {
          finishStreaming(child);
          child.status = 'done';
          child.output = data.output;
          undelegate(job, child);
        } else {
          const node = nodeOf(job, event);
          const tool = node.entries.find((entry) => entry.kind === 'tool' && entry.id === data.tool_call_id);
          if (tool) tool.output = data.output;
          else node.entries.push({ kind: 'tool', id: data.tool_call_id, name: data.name, input: null, output: data.output });
        }
        break;
      }
      case 'on_state_update': {
        job.files = data.files || {};
        job.todos = data.todos || [];
        const node = nodeOf(job, event);
        finishStreaming(node);
        const first = (data.messages || [])[0];
        if (!job.userShown && first && first.role === 'user') {
          job.root.entries.unshift({ kind: 'msg', role: 'user', text: first.content });
          job.userShown = true;
        }
        break;
      }
      case 'on_retry':
        job.status = 'retrying';
        job.notice = 'Retrying after an outage: ' + data.reason + ' (delivery ' + data.delivery_count
          + (data.next_attempt_in_seconds !== null && data.next_attempt_in_seconds !== undefined ? ', next attempt in ' + data.next_attempt_in_seconds + ' s' : '') + ')';
        break;
      case 'interrupt':
        // Parked: no pod runs it until a resume brings decisions; this page only shows what waits.
        job.status = 'interrupted';
        job.interrupts = data.interrupts || [];
        job.notice = 'Waiting for a decision on ' + job.interrupts.length + ' tool call(s): resume with POST /jobs/'
          + job.jobId + '/resume or a dev.my-platform.agent.resume event.';
        job.nodes.forEach(finishStreaming);
        break;
      case 'decision':
        nodeOf(job, event).entries.push({ kind: 'decision', name: data.name, type: data.type, message: data.message });
        break;
      case 'resume_rejected':
        job.notice = 'A resume was refused and changed nothing (' + data.field + '): ' + data.detail + ' The job still waits.';
        break;
      case 'end':
        job.status = 'completed';
        job.outcome = { status: 'completed' };
        job.notice = null;
        closeAll(job, 'done');
        break;
      case 'error':
        job.status = data.status || 'failed';
        job.outcome = { status: job.status, error: data.error, type: data.type };
        job.notice = null;
        closeAll(job, job.status);
        break;
      default:
        break; // a newer service's event: nothing to show yet
    }
  }

  // ---- drawing the job (at most once per frame, however fast tokens come)
  function renderEntries(job, node, container) {
    node.entries.forEach((entry) => {
      if (entry.kind === 'msg') {
        container.append(el('div', 'msg ' + entry.role + (entry.streaming ? ' streaming' : ''), entry.text));
      } else if (entry.kind === 'tool') {
        const tool = el('div', 'tool');
        const head = el('div', 'head', entry.name);
        if (entry.output === null) head.append(el('span', 'pending', ' · running'));
        tool.append(head);
        if (entry.input !== null && entry.input !== undefined) tool.append(el('pre', 'input', pretty(entry.input)));
        if (entry.output !== null) tool.append(el('pre', 'output', pretty(entry.output)));
        container.append(tool);
      } else if (entry.kind === 'decision') {
        container.append(el('div', 'decision ' + entry.type, 'decision: ' + entry.type + ' ' + entry.name + (entry.message ? ' \u2014 ' + entry.message : '')));
      } else if (entry.kind === 'delegations') {
        const lanes = el('div', 'lanes');
        entry.nodes.forEach((node) => {
          const nested = el('div', 'nested');
          nested.append(renderAgent(job, node));
          lanes.append(nested);
        });
        container.append(lanes);
      }
    });
  }

  function renderAgent(job, node) {
    const card = el('div', 'agent');
    card.dataset.agent = node.agentId || node.name;
    if (node.callId) card.dataset.taskCallId = node.callId;
    const title = el('div', 'title');
    title.append(el('strong', null, node.name), statusBadge(node.status));
    if (node.task) title.append(el('span', 'task', 'task: ' + node.task));
    const entries = el('div', 'entries');
    renderEntries(job, node, entries);
    card.append(title, entries);
    return card;
  }

  function renderTree(node) {
    const item = el('li');
    if (node.callId) item.dataset.taskCallId = node.callId;
    if (node.task) item.title = node.task;
    item.append(el('span', 'who', node.name), document.createTextNode(' '), statusBadge(node.status));
    if (node.children.length) {
      const list = el('ul');
      node.children.forEach((child) => list.append(renderTree(child)));
      item.append(list);
    }
    return item;
  }

  function renderJob(job) {
    $('job-title').textContent = job.jobId;
    const status = $('job-status');
    status.className = 'status ' + job.status;
    status.textContent = job.status;
    const row = job.row;
    const took = row && row.finished_at ? (Date.parse(row.finished_at) - Date.parse(row.started_at)) / 1000
      : job.firstTs ? (Date.parse(job.lastTs) - Date.parse(job.firstTs)) / 1000 : null;
    $('job-timing').textContent = (row ? 'started ' + age(row.created_at) + ' · attempts ' + row.attempts + ' · ' : '')
      + (took !== null ? 'took ' + seconds(took) : '') + (job.lastSeq ? ' · ' + job.lastSeq + ' events' : '');
    const outcome = $('outcome');
    outcome.hidden = !job.outcome;
    if (job.outcome) {
      outcome.className = job.outcome.status;
      outcome.textContent = job.outcome.status === 'completed' ? 'Completed.'
        : (job.outcome.status === 'cancelled' ? 'Cancelled: ' : 'Failed (' + job.outcome.type + '): ') + job.outcome.error;
    }
    const waiting = job.interrupts.length ? job.interrupts
      : (job.status === 'interrupted' && row && Array.isArray(row.interrupts) ? row.interrupts : []);
    $('interrupts').hidden = !waiting.length;
    $('interrupt-list').replaceChildren(...waiting.map((call) => {
      const item = el('li', 'interrupt');
      item.append(el('div', 'head', call.tool + ' \u00b7 ' + call.agent + ' \u00b7 ' + call.tool_call_id),
        el('pre', 'input', pretty(call.arguments)),
        el('div', 'muted', 'allowed: ' + (call.allowed_decisions || []).join(', ') + (call.description ? ' \u00b7 ' + call.description : '')));
      return item;
    }));
    $('notice').hidden = !job.notice;
    $('notice').textContent = job.notice || '';
    $('agent-tree').replaceChildren(...(job.root ? [renderTree(job.root)] : []));
    $('todos').replaceChildren(...job.todos.map((todo) => el('li', todo.status, todo.content + ' (' + todo.status + ')')));
    $('files').replaceChildren(...Object.entries(job.files).map(([path, file]) => {
      const details = el('details', 'file');
      details.open = true;
      details.append(el('summary', null, path), el('pre', null, (file.content || []).join('\n')));
      return details;
    }));
    if (row && row.usage) {
      // usage is {input_tokens, output_tokens, agents, models} since job control; older rows hold the models list.
      const models = Array.isArray(row.usage) ? row.usage : (row.usage.models || []);
      $('usage').replaceChildren(...models.map((u) => el('div', null, u.provider + ':' + u.model + ' · ' + u.input_tokens + ' in / ' + u.output_tokens + ' out')));
    }
    $('conversations').replaceChildren(...(job.root ? [renderAgent(job, job.root)] : [el('p', 'muted', 'Waiting for the job\u2019s first event\u2026')]));
  }

  function showJob(jobId) {
    $('list-view').hidden = true;
    $('job-view').hidden = false;
    document.title = 'agent-executor · ' + jobId;
    const job = newJob(jobId);
    const controller = new AbortController();
    let frame = 0;
    const schedule = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; renderJob(job); }); };
    stopCurrent = () => { controller.abort(); };
    renderJob(job);
    loadRow(job).then(schedule);
    follow(job, controller.signal, schedule);
  }

  async function loadRow(job) {
    try { job.row = await getJson('/jobs/' + encodeURIComponent(job.jobId)); } catch (e) { /* not recorded yet */ }
  }

  function handleBlock(job, block) {
    let id = null;
    const data = [];
    block.split('\n').forEach((line) => {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    });
    if (!data.length) return false;
    if (id) job.lastSeq = Number(id);
    const event = JSON.parse(data.join('\n'));
    apply(job, event);
    return event.event_type === 'end' || event.event_type === 'error';
  }

  /** Follows the job's events, resuming after the last one seen when the connection drops. */
  async function follow(job, signal, schedule) {
    let backoff = 500;
    let terminal = false;
    while (!signal.aborted && !terminal) {
      try {
        const headers = withToken({ Accept: 'text/event-stream' });
        if (job.lastSeq) headers['Last-Event-ID'] = String(job.lastSeq);
        const response = await fetch('/jobs/' + encodeURIComponent(job.jobId) + '/events?wait=600', { headers, signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) { needToken(); return; }
        if (response.status === 404 || response.status === 410) {
          const answer = await response.json().catch(() => ({}));
          job.notice = answer.detail || 'no events';
          await loadRow(job);
          if (job.row) { job.status = job.row.status; if (job.row.error) job.outcome = { status: job.row.status, error: job.row.error.message, type: job.row.error.type }; }
          schedule();
          return;
        }
        if (!response.ok) throw new Error('events answered ' + response.status);
        setLive(true);
        backoff = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            terminal = handleBlock(job, buffer.slice(0, end)) || terminal;
            buffer = buffer.slice(end + 2);
          }
          schedule();
        }
      } catch (e) {
        if (signal.aborted) return;
      }
      if (terminal) break;
      setLive(false);
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 10000);
    }
    await loadRow(job);
    schedule();
  }

  route();
})();
