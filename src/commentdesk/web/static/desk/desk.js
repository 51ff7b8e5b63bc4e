// The editors' desk: keyboard moderation, undo, bulk decisions and live updates over SSE.
// Every page works without this script (plain forms); this makes it fast. No dependencies.
(() => {
  'use strict';

  const body = document.body;
  const csrf = body.dataset.csrf;
  const queue = body.dataset.queue || '';
  const order = body.dataset.order || 'oldest';
  const pageSize = Number(body.dataset.pageSize || 50);
  const siteId = body.dataset.siteId || '';
  const storyId = body.dataset.storyId || '';
  const list = document.querySelector('[data-items]');
  const announcer = document.querySelector('[data-announcer]');
  const toast = document.querySelector('[data-toast]');
  const emptyNote = document.querySelector('[data-empty]');
  const undoStack = [];
  let current = null;
  let toastTimer = 0;

  const PAST = { approve: 'approved', reject: 'rejected', feature: 'featured', unfeature: 'unfeatured' };

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = '';
    window.setTimeout(() => { announcer.textContent = text; }, 30);
  }

  function showToast(text) {
    if (!toast) return;
    toast.textContent = text;
    toast.hidden = false;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => { toast.hidden = true; }, 6000);
  }

  function items() {
    return list ? Array.from(list.querySelectorAll('[data-item]')) : [];
  }

  function findItem(commentId) {
    return list ? list.querySelector(`[data-item][data-comment-id="${Number(commentId)}"]`) : null;
  }

  function setCurrent(element, focus = true) {
    if (current && current !== element) current.classList.remove('is-current');
    current = element;
    if (!element) return;
    element.classList.add('is-current');
    if (focus) {
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: 'nearest' });
    }
  }

  function move(step) {
    const all = items();
    if (!all.length) return;
    const index = current ? all.indexOf(current) : -1;
    const next = all[Math.min(all.length - 1, Math.max(0, index + step))];
    setCurrent(next);
  }

  function updateEmpty() {
    if (emptyNote) emptyNote.hidden = items().length > 0;
  }

  function query(extra) {
    const params = new URLSearchParams(extra || {});
    if (siteId) params.set('site_id', siteId);
    if (storyId) params.set('story_id', storyId);
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  async function send(url, form) {
    const response = await fetch(url, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    let payload = null;
    try { payload = await response.json(); } catch (error) { payload = null; }
    if (!response.ok) {
      const message = payload && payload.error ? payload.error.message : `The desk answered ${response.status}.`;
      showToast(message);
      throw new Error(message);
    }
    return payload;
  }

  function formWith(fields) {
    const form = new FormData();
    form.set('csrf', csrf);
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined && value !== null && value !== '') form.set(name, String(value));
    }
    return form;
  }

  // Where an item belongs in the list: the server's order, by id or by priority.
  function placeOf(element) {
    const id = Number(element.dataset.commentId);
    const priority = Number(element.dataset.priority || 0);
    return items().find((other) => {
      const otherId = Number(other.dataset.commentId);
      if (order === 'newest') return otherId < id;
      if (order === 'priority') {
        const otherPriority = Number(other.dataset.priority || 0);
        return otherPriority < priority || (otherPriority === priority && otherId > id);
      }
      return otherId > id;
    }) || null;
  }

  // Ask the server how a comment now looks in this list: replace it, drop it, or add it.
  async function refreshItem(commentId, { arriving = false, restoring = false } = {}) {
    const params = queue ? { queue } : {};
    const response = await fetch(`/desk/items/${Number(commentId)}${query(params)}`, {
      credentials: 'same-origin',
      headers: { Accept: 'text/html' },
    });
    const existing = findItem(commentId);
    if (response.status === 204 || response.status === 404) {
      if (existing) removeItem(existing);
      return null;
    }
    if (!response.ok) return null;
    const template = document.createElement('template');
    template.innerHTML = (await response.text()).trim();
    const fresh = template.content.querySelector('[data-item]');
    if (!fresh) return null;
    if (existing) {
      const wasCurrent = existing === current;
      const hadFocus = existing.contains(document.activeElement);
      const depth = existing.style.getPropertyValue('--depth');
      if (depth) fresh.style.setProperty('--depth', depth);
      existing.replaceWith(fresh);
      if (wasCurrent || restoring) setCurrent(fresh, hadFocus || restoring);
      return fresh;
    }
    if (!queue || !list) return null;
    if (arriving && order === 'oldest' && items().length >= pageSize) return null;
    list.insertBefore(fresh, placeOf(fresh));
    updateEmpty();
    if (arriving) {
      fresh.classList.add('arrived');
      announce(`New comment ${commentId} in this queue.`);
      if (!current) setCurrent(fresh, false);
    }
    if (restoring) setCurrent(fresh);
    return fresh;
  }

  function removeItem(element) {
    if (element === current) {
      const all = items();
      const index = all.indexOf(element);
      const next = all[index + 1] || all[index - 1] || null;
      element.remove();
      setCurrent(next, Boolean(next));
      if (!next) document.getElementById('main').focus();
    } else {
      element.remove();
    }
    updateEmpty();
  }

  async function decide(element, action, extra = {}) {
    if (!element) return;
    const id = element.dataset.commentId;
    const result = await send(`/desk/comments/${id}/decision`, formWith({ action, ...extra }));
    undoStack.push({ batchId: result.batch_id, ids: [id] });
    announce(`Comment ${id} ${PAST[action] || action}. Press u to undo.`);
    await refreshItem(id);
    scheduleCounts();
  }

  async function decideMany(ids, action, reason) {
    const form = formWith({ action, reason: action === 'reject' ? reason : '' });
    for (const id of ids) form.append('comment_ids', id);
    const result = await send('/desk/decisions', form);
    undoStack.push({ batchId: result.batch_id, ids: result.decided.map(String) });
    const skipped = result.skipped.length ? `, ${result.skipped.length} skipped` : '';
    announce(`${result.decided.length} comments ${PAST[action]}${skipped}. Press u to undo.`);
    await Promise.all(ids.map((id) => refreshItem(id)));
    updateSelection();
    scheduleCounts();
  }

  async function undo() {
    const last = undoStack.pop();
    if (!last) { announce('Nothing to undo.'); return; }
    const result = await send(`/desk/decisions/${last.batchId}/undo`, formWith({}));
    announce(`Undone: ${result.decided.length} comment${result.decided.length === 1 ? '' : 's'} back.`);
    for (const id of last.ids) await refreshItem(id, { restoring: true });
    scheduleCounts();
  }

  function toggleFeature(element) {
    if (!element) return;
    decide(element, element.dataset.featured === 'true' ? 'unfeature' : 'feature').catch(() => {});
  }

  // Dialogs: reject with a reason, act on the author. Native modal dialogs keep focus inside.
  const rejectDialog = document.querySelector('[data-reject-dialog]');
  const banDialog = document.querySelector('[data-ban-dialog]');
  let dialogTarget = null;

  function openReject(element) {
    if (!element || !rejectDialog) return;
    dialogTarget = element;
    rejectDialog.querySelector('[data-reject-id]').textContent = element.dataset.commentId;
    rejectDialog.querySelector('form').reset();
    rejectDialog.returnValue = '';
    rejectDialog.showModal();
    rejectDialog.querySelector('input[name="reason"]:checked').focus();
  }

  function openBan(element) {
    if (!element || !banDialog || !element.dataset.authorId) return;
    dialogTarget = element;
    const author = element.querySelector('.standing a');
    banDialog.querySelector('[data-ban-name]').textContent = author ? author.textContent : 'the author';
    banDialog.querySelector('form').reset();
    banDialog.returnValue = '';
    banDialog.showModal();
    banDialog.querySelector('select').focus();
  }

  if (rejectDialog) {
    rejectDialog.addEventListener('keydown', (event) => {
      if (event.target.tagName === 'TEXTAREA') return;
      const number = Number(event.key);
      const radios = rejectDialog.querySelectorAll('input[name="reason"]');
      if (number >= 1 && number <= radios.length) {
        radios[number - 1].checked = true;
        radios[number - 1].focus();
        event.preventDefault();
      }
    });
    rejectDialog.addEventListener('close', () => {
      const target = dialogTarget;
      dialogTarget = null;
      if (target) setCurrent(target);
      if (rejectDialog.returnValue !== 'reject' || !target) return;
      const form = new FormData(rejectDialog.querySelector('form'));
      decide(target, 'reject', { reason: form.get('reason'), message: form.get('message') }).catch(() => {});
    });
  }

  if (banDialog) {
    banDialog.addEventListener('close', () => {
      const target = dialogTarget;
      dialogTarget = null;
      if (target) setCurrent(target);
      if (banDialog.returnValue !== 'act' || !target) return;
      const form = new FormData(banDialog.querySelector('form'));
      const action = form.get('action');
      const fields = { action, reason: form.get('reason') };
      if (action === 'suspend') fields.suspend_hours = form.get('suspend_hours');
      send(`/desk/accounts/${target.dataset.authorId}/actions`, formWith(fields))
        .then(() => {
          announce(`Author ${action === 'ban' ? 'banned' : action === 'suspend' ? 'suspended' : action === 'warn' ? 'warned' : 'pre-moderated'}.`);
          return refreshItem(target.dataset.commentId);
        })
        .catch(() => {});
    });
  }

  // Selection for bulk decisions.
  const bulkForm = document.querySelector('[data-bulk]');
  function selectedIds() {
    return Array.from(document.querySelectorAll('[data-select]:checked')).map((box) => box.value);
  }
  function updateSelection() {
    const counter = document.querySelector('[data-selected-count]');
    if (counter) counter.textContent = String(selectedIds().length);
  }
  document.addEventListener('change', (event) => {
    if (event.target.matches('[data-select]')) updateSelection();
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form.matches('[data-decision]')) {
      event.preventDefault();
      const element = form.closest('[data-item]');
      const data = new FormData(form);
      setCurrent(element, false);
      decide(element, data.get('action'), { reason: data.get('reason') }).catch(() => {});
    } else if (form === bulkForm) {
      event.preventDefault();
      const ids = selectedIds();
      if (!ids.length) { showToast('Select comments first (x, or the boxes).'); return; }
      const action = event.submitter ? event.submitter.value : 'approve';
      decideMany(ids, action, new FormData(form).get('reason')).catch(() => {});
    }
  });

  document.addEventListener('click', (event) => {
    const help = event.target.closest('[data-help]');
    if (help) document.querySelector('[data-help-dialog]').showModal();
    const ban = event.target.closest('[data-action="ban"]');
    if (ban && banDialog) {
      event.preventDefault();
      openBan(ban.closest('[data-item]'));
    }
    const item = event.target.closest('[data-item]');
    if (item && item !== current) setCurrent(item, false);
  });

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    const tag = event.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || event.target.isContentEditable) return;
    const target = current;
    const handlers = {
      j: () => move(1),
      k: () => move(-1),
      a: () => decide(target, 'approve').catch(() => {}),
      r: () => openReject(target),
      f: () => toggleFeature(target),
      b: () => openBan(target),
      u: () => undo().catch(() => {}),
      x: () => {
        const box = target && target.querySelector('[data-select]');
        if (box) { box.checked = !box.checked; updateSelection(); }
      },
      o: () => { if (target) window.location.href = `/desk/comments/${target.dataset.commentId}`; },
      '/': () => { const search = document.getElementById('search-q'); if (search) search.focus(); },
      '?': () => { const help = document.querySelector('[data-help-dialog]'); if (help) help.showModal(); },
    };
    const handler = handlers[event.key];
    if (!handler) return;
    event.preventDefault();
    handler();
  });

  // Live counts and items.
  let countsTimer = 0;
  function scheduleCounts() {
    window.clearTimeout(countsTimer);
    countsTimer = window.setTimeout(refreshCounts, 250);
  }

  async function refreshCounts() {
    const response = await fetch(`/desk/counts${query()}`, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) return;
    const found = await response.json();
    for (const [name, count] of Object.entries(found.counts)) {
      const label = found.over_cap.includes(name) ? `${count}+` : String(count);
      for (const badge of document.querySelectorAll(`[data-count="${name}"]`)) badge.textContent = label;
    }
    // The page showed the queue's first comments; once they are decided, offer the next ones.
    const next = document.querySelector('[data-next]');
    if (next && queue) {
      const waiting = found.counts[queue] > 0 && items().length === 0;
      if (waiting) {
        next.hidden = false;
        if (emptyNote) emptyNote.hidden = true;
      } else {
        next.hidden = true;
      }
    }
  }

  function onComment(message) {
    scheduleCounts();
    if (storyId && String(message.story_id) !== storyId) return;
    if (findItem(message.comment_id)) {
      refreshItem(message.comment_id).catch(() => {});
    } else if (queue && (message.kind !== 'changed' || message.status)) {
      refreshItem(message.comment_id, { arriving: true }).catch(() => {});
    }
  }

  if (document.querySelector('.top') && 'EventSource' in window) {
    const source = new EventSource(`/desk/stream${siteId ? `?site_id=${encodeURIComponent(siteId)}` : ''}`);
    let connections = 0;
    source.addEventListener('ready', () => {
      connections += 1;
      body.dataset.live = 'on';
      if (connections > 1) scheduleCounts();
    });
    source.addEventListener('comment', (event) => onComment(JSON.parse(event.data)));
    source.addEventListener('resync', () => {
      scheduleCounts();
      showToast('Many changes at once: reload the page to see them all.');
    });
    source.addEventListener('error', () => { body.dataset.live = 'off'; });
    window.addEventListener('pagehide', () => source.close());
  }

  const first = items()[0];
  if (first) setCurrent(first, false);
  updateSelection();
})();
