/**
 * Commentdesk embed: the reader-facing comment thread of one story.
 *
 * Owns: finding `#commentdesk-thread` on the host page, talking to the public JSON API
 * (`/api/v1`, located from this script's own `src`) and rendering the thread, the sign-in
 * panel, the composer and the report dialog inside an open Shadow DOM on that element.
 * Must not: keep the bearer token anywhere but in memory, or touch the host page outside its div.
 * Comment `html` arrives sanitised by the server (rendered once, on write) and is inserted as is.
 */
(() => {
  'use strict';

  const script = document.currentScript || document.querySelector('script[src*="/widget/embed.js"]');
  if (!script) return;
  const API = new URL('../api/v1', script.src).href;

  const SORTS = ['newest', 'oldest', 'top', 'replies', 'best'];
  const REASONS = ['abusive', 'spam', 'off_topic', 'other'];
  const PAGE_SIZE = 50;
  const MAX_BODY = 5000;
  const MAX_DEPTH = 4; // replies indent this deep; deeper ones open in a view of their own

  const state = {
    storyUrl: '',
    storyTitle: '',
    sort: 'newest',
    token: null, // in memory only: a reload signs the reader out, by design
    account: null,
    story: null,
    site: null,
    comments: [],
    featured: [],
    nextCursor: null,
    byId: new Map(),
    reacted: new Set(),
    reported: new Set(),
    followingStory: false,
    followed: new Set(), // comments whose replies the reader follows
    visited: false, // the reader's visit is recorded once per sign-in
    refreshes: 0,
    pendingSso: null,
    locale: 'en',
    firstPage: null, // the first page, asked for while the locale loads
  };
  const ui = {}; // stable nodes of the shadow root, filled by mount()

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(code, message) {
      super(message);
      this.code = code;
    }
  }

  async function api(method, path, { query, body } = {}) {
    const url = new URL(API + path);
    for (const [key, value] of Object.entries(query || {})) {
      if (value != null) url.searchParams.set(key, value);
    }
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError('network', t('error.network'));
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (data && data.error) || {};
      throw new ApiError(error.code || `http_${response.status}`, error.message || t('error.request', { status: response.status }));
    }
    return data;
  }

  // ---------------------------------------------------------------- helpers

  function h(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    node.append(...children.flat().filter((child) => child != null && child !== false));
    return node;
  }

  function parseTime(iso) {
    // A timestamp without a zone is UTC per the contract; Date.parse would read it as local.
    return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  }

  // ---------------------------------------------------------------- locale

  const LOCALES = ['en', 'es', 'de'];
  const i18n = { messages: {}, plural: null, numbers: null, relative: null, dates: null };

  function chooseLocale(host) {
    const wanted = [host.dataset.locale, document.documentElement.lang, ...(navigator.languages || [])];
    for (const tag of wanted) {
      const language = String(tag || '').toLowerCase().split('-')[0];
      if (LOCALES.includes(language)) return language;
    }
    return 'en';
  }

  async function loadLocale(locale) {
    for (const candidate of [locale, 'en']) {
      try {
        const response = await fetch(new URL(`locales/${candidate}.json`, script.src));
        if (response.ok) {
          i18n.messages = await response.json();
          state.locale = candidate;
          break;
        }
      } catch {
        // try the next candidate
      }
    }
    i18n.plural = new Intl.PluralRules(state.locale);
    i18n.numbers = new Intl.NumberFormat(state.locale);
    i18n.relative = new Intl.RelativeTimeFormat(state.locale, { numeric: 'auto' });
    // One formatter each, made once: building them per comment is most of a long thread's
    // drawing time.
    i18n.dates = new Intl.DateTimeFormat(state.locale, { dateStyle: 'medium', timeStyle: 'short' });
  }

  /** The message `key` in the reader's language, with {placeholders} filled and plurals chosen. */
  function t(key, params = {}) {
    let message = i18n.messages[key];
    if (message && typeof message === 'object') {
      message = message[i18n.plural.select(params.count)] || message.other;
    }
    if (typeof message !== 'string') return key;
    return message.replace(/\{(\w+)\}/g, (_, name) => {
      const value = params[name];
      return typeof value === 'number' ? i18n.numbers.format(value) : String(value ?? '');
    });
  }

  const UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];

  function relativeTime(iso) {
    const seconds = (parseTime(iso) - Date.now()) / 1000;
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size) return i18n.relative.format(Math.round(seconds / size), unit);
    }
    return t('comment.just_now');
  }

  function linkButton(label, testid, onclick, extraClass = '') {
    return h('button', { type: 'button', class: `cd-link ${extraClass}`.trim(), 'data-testid': testid, onclick }, label);
  }

  function say(message, region = ui.error) {
    region.textContent = message;
  }

  function fail(error, region) {
    say(error instanceof ApiError ? error.message : t('error.unknown'), region);
    if (!(error instanceof ApiError)) console.error(error); // eslint-disable-line no-console
  }

  function isOwn(comment) {
    return Boolean(state.account && comment.author && comment.author.id === state.account.id);
  }

  function canEdit(comment) {
    const seconds = state.site && state.site.edit_window_seconds;
    return seconds == null || Date.now() - parseTime(comment.created_at) < seconds * 1000;
  }

  // ---------------------------------------------------------------- thread state

  function index(comments) {
    for (const comment of comments) {
      comment.replies = comment.replies || [];
      state.byId.set(comment.id, comment);
      index(comment.replies);
    }
  }

  async function loadThread({ cursor } = {}) {
    const page = await api('GET', '/threads', {
      query: { url: state.storyUrl, title: state.storyTitle || null, sort: state.sort, limit: PAGE_SIZE, cursor },
    });
    state.story = page.story;
    state.site = page.site;
    state.nextCursor = page.next_cursor;
    if (!cursor) state.featured = page.featured || [];
    index(page.comments);
    return page.comments;
  }

  async function loadOverlay() {
    const overlay = await api('GET', '/threads/me', { query: { url: state.storyUrl } });
    state.reacted = new Set(overlay.reacted || []);
    state.reported = new Set(overlay.reported || []);
    state.followingStory = Boolean(overlay.following_story);
    state.followed = new Set(overlay.followed || []);
    for (const comment of overlay.comments || []) {
      if (!state.byId.has(comment.id)) attach(comment, { first: true });
    }
  }

  function attach(comment, { first = false } = {}) {
    index([comment]);
    const parent = comment.parent_id && state.byId.get(comment.parent_id);
    const siblings = parent ? parent.replies : state.comments;
    if (first && !parent) siblings.unshift(comment);
    else siblings.push(comment);
    return parent;
  }

  function detach(comment) {
    const parent = comment.parent_id && state.byId.get(comment.parent_id);
    const siblings = parent ? parent.replies : state.comments;
    siblings.splice(siblings.indexOf(comment), 1);
    state.byId.delete(comment.id);
    if (parent) parent.reply_count = Math.max(0, (parent.reply_count || 1) - 1);
  }

  /** Reload the first page (and the viewer overlay when signed in), then redraw everything. */
  async function refresh() {
    const ticket = ++state.refreshes;
    say('');
    state.byId = new Map();
    const early = state.firstPage;
    state.firstPage = null;
    try {
      const prefetched = early ? await early : null;
      state.comments = prefetched || await loadThread();
      if (prefetched) index(state.comments);
      if (state.token) await loadOverlay();
      if (state.token && !state.visited) loadActivity();
    } catch (error) {
      fail(error);
    }
    if (ticket === state.refreshes) {
      render(); // a later refresh (say, a new sort) supersedes this one
      if (ticket === 1) {
        showLinked();
        sendStoryText();
      }
      live.waiting.clear();
      renderWaiting();
      startLive();
    }
  }

  // ---------------------------------------------------------------- live updates

  // New comments wait behind a button so the page never jumps; changes to comments on screen
  // (edits, reactions, removals) apply in place. The stream closes while the tab is hidden.
  const live = { source: null, waiting: new Set(), timers: new Map() };

  function startLive() {
    if (live.source || !('EventSource' in window) || document.hidden || !state.story) return;
    live.source = new EventSource(`${API}/threads/stream?${new URLSearchParams({ url: state.storyUrl })}`);
    live.source.addEventListener('comment', (event) => onLive(JSON.parse(event.data)));
    live.source.addEventListener('resync', () => catchUp());
    live.source.addEventListener('ready', () => { ui.host.dataset.live = 'on'; });
  }

  function stopLive() {
    if (live.source) live.source.close();
    live.source = null;
    ui.host.dataset.live = 'off';
  }

  function onLive(message) {
    const known = state.byId.get(message.comment_id);
    if (!known) {
      // New to this page: posted and published at once, or published later (a comment
      // checked after posting becomes "approved" by a change).
      if (message.status === 'approved') {
        live.waiting.add(message.comment_id);
        renderWaiting();
      }
    } else if (message.kind !== 'posted') {
      // Reactions can come in bursts: one read per comment per half second.
      window.clearTimeout(live.timers.get(message.comment_id));
      live.timers.set(message.comment_id, window.setTimeout(() => reread(known), 500));
    }
  }

  async function reread(comment) {
    live.timers.delete(comment.id);
    let fresh = null;
    try {
      fresh = await api('GET', `/comments/${comment.id}`);
    } catch (error) {
      if (error.code !== 'not_found') return;
    }
    if (fresh && (fresh.status === 'approved' || isOwn(fresh))) {
      Object.assign(comment, fresh, { replies: comment.replies });
    } else {
      Object.assign(comment, { is_tombstone: true, author: null, html: '' });
    }
    redraw(comment);
  }

  /** After a pause (hidden tab, lost stream), find what was published meanwhile. */
  async function catchUp() {
    try {
      const page = await api('GET', '/threads', { query: { url: state.storyUrl, sort: 'newest', limit: PAGE_SIZE } });
      for (const comment of page.comments) {
        if (!state.byId.has(comment.id)) live.waiting.add(comment.id);
      }
      renderWaiting();
    } catch (error) {
      // The next event or visibility change tries again; nothing on screen is wrong meanwhile.
    }
  }

  function renderWaiting() {
    const count = live.waiting.size;
    ui.fresh.hidden = count === 0;
    ui.fresh.textContent = t('live.show', { count });
    if (count) ui.announce.textContent = t('live.announce', { count });
  }

  async function showWaiting() {
    const ids = [...live.waiting].sort((first, second) => first - second);
    live.waiting.clear();
    renderWaiting();
    for (const id of ids) {
      if (state.byId.has(id)) continue;
      try {
        const comment = await api('GET', `/comments/${id}`);
        if (comment.parent_id && !state.byId.has(comment.parent_id)) continue; // its thread is not loaded here
        comment.replies = [];
        placeNew(comment);
      } catch (error) {
        // Removed before the reader asked for it: nothing to show.
      }
    }
    ui.list.focus();
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      stopLive();
    } else if (state.story) {
      startLive();
      catchUp();
    }
  });

  // ---------------------------------------------------------------- rendering

  function render() {
    ui.back.hidden = true;
    renderFeatured();
    renderSite();
    renderAuth();
    renderComposer();
    renderCount();
    ui.list.replaceChildren(...state.comments.map(commentNode));
    ui.more.hidden = !state.nextCursor;
  }

  /** The editors' picks above the thread; each leads to its place in the thread. */
  function renderFeatured() {
    ui.featured.hidden = !state.featured.length;
    ui.featuredList.replaceChildren(...state.featured.map((comment) => {
      const body = h('div', { class: 'cd-body' });
      body.innerHTML = comment.html; // sanitised by the server on write
      return h('li', { class: 'cd-pick', 'data-testid': 'featured-comment' },
        h('p', { class: 'cd-meta' }, `${t('comment.posted_by')} `,
          h('strong', { class: 'cd-author' }, comment.author ? comment.author.name : t('comment.former_reader'))),
        body,
        linkButton(t('featured.go'), 'featured-go', () => { window.location.hash = `comment-${comment.id}`; }));
    }));
  }

  function renderSite() {
    const site = state.site || {};
    ui.policy.hidden = !site.policy;
    ui.policyText.textContent = site.policy || '';
    ui.disclaimer.hidden = !site.disclaimer;
    ui.disclaimer.textContent = site.disclaimer || '';
  }

  function renderCount() {
    const count = state.story ? state.story.comment_count : 0;
    ui.count.textContent = t('thread.count', { count });
  }

  function renderAuth() {
    if (state.account) {
      ui.auth.replaceChildren(
        h('p', { class: 'cd-signed-in', 'data-testid': 'signed-in' }, `${t('auth.signed_in_as')} `, h('strong', {}, state.account.name)),
        followButton(t('follow.story'), 'follow-story', state.followingStory, toggleStoryFollow),
        linkButton(t('auth.sign_out'), 'sign-out', signOut),
      );
      return;
    }
    ui.auth.replaceChildren(
      h('p', {}, t('auth.prompt')),
      h('button', { type: 'button', 'data-testid': 'show-sign-in', onclick: () => showAuthForm('sign-in') }, t('auth.sign_in')),
      h('button', { type: 'button', 'data-testid': 'show-register', onclick: () => showAuthForm('register') }, t('auth.register')),
    );
  }

  function field(label, attrs) {
    return h('label', { class: 'cd-field' }, h('span', {}, label), h('input', { required: true, ...attrs }));
  }

  function showAuthForm(kind) {
    const isRegister = kind === 'register';
    const error = h('p', { class: 'cd-error', role: 'alert', 'aria-live': 'assertive' });
    const title = isRegister ? t('auth.register') : t('auth.sign_in');
    const form = h('form', { class: 'cd-auth-form', 'data-testid': `${kind}-form`, 'aria-label': title },
      isRegister && field(t('auth.name'), { name: 'name', maxlength: 80, autocomplete: 'name' }),
      field(t('auth.email'), { name: 'email', type: 'email', autocomplete: 'email' }),
      field(t('auth.password'), {
        name: 'password', type: 'password', minlength: isRegister ? 8 : null, maxlength: 256,
        autocomplete: isRegister ? 'new-password' : 'current-password',
      }),
      h('div', { class: 'cd-row' },
        h('button', { type: 'submit', class: 'cd-primary' }, isRegister ? t('auth.create') : t('auth.sign_in')),
        linkButton(t('action.cancel'), 'cancel', renderAuth)),
      error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(form));
      authenticate(isRegister ? '/auth/register' : '/auth/login', values, form, error);
    });
    ui.auth.replaceChildren(form);
    form.querySelector('input').focus();
  }

  async function authenticate(path, values, form, error) {
    form.querySelector('button[type=submit]').disabled = true;
    try {
      const result = await api('POST', path, { body: values });
      state.token = result.token;
      state.account = result.account;
      await refresh();
    } catch (caught) {
      form.querySelector('button[type=submit]').disabled = false;
      fail(caught, error);
    }
  }

  /** Sign in with a JWT the host site signed for its signed-in reader (its SSO). */
  async function signInWithSso(token) {
    if (!ui.list) {
      state.pendingSso = token; // mount() uses it
      return;
    }
    try {
      const result = await api('POST', '/auth/sso', { body: { token: String(token) } });
      state.token = result.token;
      state.account = result.account;
      await refresh();
    } catch (caught) {
      await refresh();
      fail(caught);
    }
  }

  // The one name this script puts on the host page: how the host tells the thread that its
  // reader signed in or out.
  window.Commentdesk = Object.freeze({
    login: (token) => signInWithSso(token),
    logout: () => signOut(),
  });

  function signOut() {
    state.token = null;
    state.account = null;
    state.reacted = new Set();
    state.reported = new Set();
    state.followingStory = false;
    state.followed = new Set();
    state.visited = false;
    ui.activity.hidden = true;
    refresh();
  }

  function requireAccount(message) {
    if (state.token) return true;
    say(message);
    showAuthForm('sign-in');
    return false;
  }

  function renderComposer() {
    if (state.story && state.story.is_closed) {
      ui.composer.replaceChildren(h('p', { class: 'cd-note', 'data-testid': 'closed' }, t('composer.closed')));
    } else if (!state.account) {
      ui.composer.replaceChildren();
    } else {
      ui.composer.replaceChildren(composer({ label: t('composer.label'), submit: t('composer.post'), onposted: () => {} }));
    }
  }

  /** A textarea + submit form; `parent` makes it a reply, `comment` makes it an edit. */
  function composer({ label, submit, parent = null, comment = null, onposted, oncancel }) {
    const error = h('p', { class: 'cd-error', role: 'alert', 'aria-live': 'assertive' });
    const textarea = h('textarea', {
      name: 'body', rows: 4, maxlength: MAX_BODY, required: true, 'aria-label': label, 'data-testid': 'composer-body',
    });
    // A draft survives a reload (in this page's own storage, never sent anywhere until posted).
    const draftKey = comment ? null : `commentdesk-draft:${state.storyUrl}:${parent ? parent.id : 'top'}`;
    if (comment) textarea.value = comment.body || htmlToText(comment.html);
    else textarea.value = readDraft(draftKey);
    const counter = h('span', { class: 'cd-counter', 'data-testid': 'counter', 'aria-live': 'polite' });
    const count = () => {
      const left = MAX_BODY - textarea.value.length;
      counter.textContent = left < 500 ? t('composer.left', { count: left }) : '';
      counter.classList.toggle('cd-counter-low', left < 100);
    };
    textarea.addEventListener('input', () => {
      count();
      writeDraft(draftKey, textarea.value);
    });
    count();
    const preview = h('div', { class: 'cd-preview cd-body', 'data-testid': 'preview', hidden: true, 'aria-live': 'polite' });
    const form = h('form', { class: 'cd-composer', 'data-testid': comment ? 'edit-form' : parent ? 'reply-form' : 'composer' },
      h('div', { class: 'cd-field' }, h('span', { 'aria-hidden': 'true' }, label), toolbar(textarea, preview), textarea),
      preview,
      counter,
      h('div', { class: 'cd-row' },
        h('button', { type: 'submit', class: 'cd-primary', 'data-testid': 'composer-submit' }, submit),
        oncancel && linkButton(t('action.cancel'), 'cancel', oncancel)),
      error);
    // The nudge: before a new comment goes out, the site's policy is checked; if the draft may
    // break it, the reader is told why and chooses to edit or to post anyway.
    const nudge = h('div', { class: 'cd-nudge', 'data-testid': 'nudge', role: 'alert', hidden: true });
    let nudged = '';
    textarea.addEventListener('input', () => { nudge.hidden = true; });
    form.insertBefore(nudge, error);
    async function mayBreakPolicy(body) {
      if (comment || nudged === body) return false;
      let check = null;
      try {
        check = await api('POST', '/comments/check', { body: { story_url: state.storyUrl, parent_id: parent ? parent.id : null, body } });
      } catch {
        return false; // the post itself will say what is wrong
      }
      if (check.outcome === 'approve' || !check.messages.length) return false;
      nudged = body;
      nudge.replaceChildren(
        h('p', {}, t('nudge.title')),
        h('ul', {}, check.messages.map((message) => h('li', {}, message))),
        h('div', { class: 'cd-row' },
          h('button', { type: 'button', 'data-testid': 'nudge-edit', onclick: () => { nudge.hidden = true; textarea.focus(); } }, t('nudge.edit')),
          h('button', { type: 'submit', class: 'cd-primary', 'data-testid': 'nudge-post' }, t('nudge.post'))));
      nudge.hidden = false;
      nudge.querySelector('[data-testid=nudge-edit]').focus();
      return true;
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = textarea.value.trim();
      if (!body) return say(t('composer.empty'), error);
      form.querySelector('button[type=submit]').disabled = true;
      if (await mayBreakPolicy(body)) {
        form.querySelector('button[type=submit]').disabled = false;
        return;
      }
      nudge.hidden = true;
      try {
        const result = comment
          ? await api('PATCH', `/comments/${comment.id}`, { body: { body } })
          : await api('POST', '/comments', { body: { story_url: state.storyUrl, parent_id: parent ? parent.id : null, body } });
        textarea.value = '';
        textarea.hidden = false;
        preview.hidden = true;
        writeDraft(draftKey, '');
        count();
        say('', error);
        onposted(result);
        if (!comment) placeNew(result);
      } catch (caught) {
        fail(caught, error);
      } finally {
        form.querySelector('button[type=submit]').disabled = false;
      }
    });
    return form;
  }

  // Markdown help: wrap the selection (or a placeholder) in the syntax, and a preview rendered
  // by the server exactly as the comment will be published.
  const MARKUP = [
    ['bold', '**', '**'],
    ['italic', '_', '_'],
    ['link', '[', '](https://)'],
    ['quote', '> ', ''],
  ];

  function toolbar(textarea, preview) {
    const wrap = (before, after) => {
      const { selectionStart: start, selectionEnd: end, value } = textarea;
      const chosen = value.slice(start, end) || t('markup.text');
      textarea.value = value.slice(0, start) + before + chosen + after + value.slice(end);
      textarea.focus();
      textarea.setSelectionRange(start + before.length, start + before.length + chosen.length);
      textarea.dispatchEvent(new Event('input'));
    };
    const toggle = h('button', {
      type: 'button', class: 'cd-tool', 'data-testid': 'preview-toggle', 'aria-pressed': 'false',
      onclick: async () => {
        const showing = preview.hidden;
        if (showing) {
          try {
            const result = await api('POST', '/comments/preview', { body: { body: textarea.value.trim() || ' ' } });
            preview.innerHTML = result.html; // sanitised by the server
          } catch (error) {
            preview.textContent = textarea.value.trim() ? error.message : t('composer.empty');
          }
        }
        preview.hidden = !showing;
        textarea.hidden = showing;
        toggle.setAttribute('aria-pressed', String(showing));
        toggle.textContent = showing ? t('markup.write') : t('markup.preview');
      },
    }, t('markup.preview'));
    return h('span', { class: 'cd-toolbar-row', role: 'toolbar', 'aria-label': t('markup.toolbar') },
      MARKUP.map(([name, before, after]) => h('button', {
        type: 'button', class: 'cd-tool', 'data-testid': `markup-${name}`, onclick: () => wrap(before, after),
      }, t(`markup.${name}`))),
      toggle);
  }

  function readDraft(key) {
    try {
      return (key && window.localStorage.getItem(key)) || '';
    } catch {
      return ''; // storage blocked (private mode, sandboxed frame): drafts are a nicety
    }
  }

  function writeDraft(key, text) {
    if (!key) return;
    try {
      if (text.trim()) window.localStorage.setItem(key, text);
      else window.localStorage.removeItem(key);
    } catch {
      // as above
    }
  }

  // ---------------------------------------------------------------- permalinks

  function permalink(comment) {
    return `${state.storyUrl.split('#')[0]}#comment-${comment.id}`;
  }

  async function share(comment, button) {
    const link = permalink(comment);
    try {
      await navigator.clipboard.writeText(link);
      button.textContent = t('share.copied');
    } catch {
      window.prompt(t('share.prompt'), link);
    }
  }

  /** `#comment-<id>` in the page's address: scroll to that comment and mark it. */
  async function showLinked() {
    const match = /^#comment-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const id = Number(match[1]);
    let node = nodeFor(id);
    if (!node) {
      try {
        const comment = await api('GET', `/comments/${id}`);
        if (!state.byId.has(id)) {
          comment.replies = [];
          index([comment]);
          state.comments.unshift(comment);
          node = commentNode(comment);
          ui.list.prepend(node);
        }
        node = nodeFor(id);
      } catch (error) {
        return say(t('permalink.gone'));
      }
    }
    for (const marked of ui.list.querySelectorAll('.cd-linked')) marked.classList.remove('cd-linked');
    node.classList.add('cd-linked');
    node.firstElementChild.setAttribute('tabindex', '-1');
    node.scrollIntoView({ block: 'center' });
    node.firstElementChild.focus({ preventScroll: true });
  }

  window.addEventListener('hashchange', () => showLinked());

  function htmlToText(html) {
    const template = document.createElement('template');
    template.innerHTML = html || '';
    return template.content.textContent.trim();
  }

  function placeNew(comment) {
    if (live.waiting.delete(comment.id)) renderWaiting(); // the stream may announce it first
    const parent = attach(comment, { first: true });
    if (comment.status === 'approved') {
      state.story.comment_count += 1;
      renderCount();
    }
    const node = commentNode(comment);
    if (parent) {
      parent.reply_count = (parent.reply_count || 0) + 1;
      const replies = nodeFor(parent.id)?.querySelector(':scope > .cd-replies');
      if (replies) replies.append(node); // a branch shown on its own has no place for it
    } else {
      ui.list.prepend(node);
    }
    node.scrollIntoView({ block: 'nearest' });
  }

  function nodeFor(id) {
    return ui.list.querySelector(`[data-comment-id="${CSS.escape(String(id))}"]`);
  }

  /** Redraw one comment's own content, leaving its replies (and their open forms) alone. */
  function redraw(comment) {
    const node = nodeFor(comment.id);
    if (!node) return;
    // A keyboard reader who pressed a button here keeps their place on its new copy.
    const focused = ui.host.shadowRoot.activeElement;
    const testid = node.firstElementChild.contains(focused) ? focused.dataset.testid : null;
    node.replaceChild(commentMain(comment), node.firstElementChild);
    if (testid) node.firstElementChild.querySelector(`[data-testid="${testid}"]`)?.focus();
  }

  /** A comment and its replies; below MAX_DEPTH the replies wait behind "Continue this thread". */
  function commentNode(comment, depth = 0) {
    const attrs = { class: 'cd-comment', 'data-testid': 'comment', 'data-comment-id': comment.id, 'data-status': comment.status };
    const deep = depth >= MAX_DEPTH && comment.replies.length > 0;
    return h('li', attrs,
      commentMain(comment),
      deep && linkButton(t('thread.continue', { count: replyCount(comment) }), 'continue-thread', () => focusOn(comment)),
      h('ol', { class: 'cd-replies', 'aria-label': t('comment.replies') },
        deep ? [] : comment.replies.map((reply) => commentNode(reply, depth + 1))));
  }

  function replyCount(comment) {
    return comment.replies.reduce((total, reply) => total + 1 + replyCount(reply), 0);
  }

  /** Show one deep branch on its own, with a way back to the whole thread. */
  function focusOn(comment) {
    ui.list.replaceChildren(commentNode(comment, 0));
    ui.back.hidden = false;
    ui.more.hidden = true;
    ui.back.focus();
  }

  function leaveFocus() {
    ui.back.hidden = true;
    ui.list.replaceChildren(...state.comments.map((comment) => commentNode(comment)));
    ui.more.hidden = !state.nextCursor;
    ui.list.focus();
  }

  function commentMain(comment) {
    if (comment.is_tombstone) {
      return h('div', { class: 'cd-main cd-tombstone', 'data-testid': 'tombstone' }, t('comment.removed'));
    }
    const name = comment.author ? comment.author.name : t('comment.former_reader');
    const body = h('div', { class: 'cd-body', 'data-testid': 'comment-body' });
    body.innerHTML = comment.html; // sanitised by the server on write
    return h('article', { class: 'cd-main', 'aria-label': t('comment.by', { name }) },
      h('p', { class: 'cd-meta', 'data-testid': 'comment-meta' },
        `${t('comment.posted_by')} `, h('strong', { class: 'cd-author' }, name), ' | ',
        h('time', { datetime: comment.created_at, title: i18n.dates.format(new Date(parseTime(comment.created_at))) },
          relativeTime(comment.created_at)),
        comment.is_featured && h('span', { class: 'cd-badge', 'data-testid': 'featured-badge' }, ` ${t('featured.badge')}`),
        comment.edited_at && h('span', { class: 'cd-edited' }, ` ${t('comment.edited')}`)),
      statusNote(comment),
      body,
      h('div', { class: 'cd-actions' }, actions(comment)),
      h('div', { class: 'cd-slot' }));
  }

  function statusNote(comment) {
    if (comment.status === 'pending' || comment.status === 'withheld') {
      return h('p', { class: 'cd-status', 'data-testid': 'awaiting-review' }, t('comment.awaiting'));
    }
    if (comment.status === 'rejected') {
      const reason = comment.reason || comment.status_reason;
      return h('p', { class: 'cd-status cd-rejected', 'data-testid': 'rejected' },
        reason ? t('comment.not_published_because', { reason }) : t('comment.not_published'));
    }
    return null;
  }

  function actions(comment) {
    if (comment.status !== 'approved') return isOwn(comment) ? [deleteButton(comment)] : [];
    const own = isOwn(comment);
    const reacted = state.reacted.has(comment.id);
    const open = !(state.story && state.story.is_closed);
    return [
      h('button', {
        type: 'button', class: 'cd-respect', 'data-testid': 'respect', 'aria-pressed': String(reacted),
        disabled: own, title: own ? t('comment.own') : null,
        onclick: () => toggleReaction(comment),
      }, `${t('action.respect')} `, h('span', { class: 'cd-count', 'data-testid': 'respect-count' }, i18n.numbers.format(comment.reaction_count))),
      open && linkButton(t('action.reply'), 'reply', () => openReply(comment)),
      linkButton(t('action.share'), 'share', (event) => share(comment, event.currentTarget)),
      state.account && followButton(t('follow.replies'), 'follow-replies', state.followed.has(comment.id), (event) => toggleCommentFollow(comment, event.currentTarget)),
      own && open && canEdit(comment) && linkButton(t('action.edit'), 'edit', () => openEdit(comment)),
      own && deleteButton(comment),
      !own && (state.reported.has(comment.id)
        ? h('span', { class: 'cd-reported', 'data-testid': 'reported', tabindex: '-1' }, t('action.reported'))
        : linkButton(t('action.report'), 'report', () => openReport(comment), 'cd-report')),
    ];
  }

  // ---------------------------------------------------------------- follows and activity

  function followButton(label, testid, pressed, onclick) {
    return h('button', { type: 'button', class: 'cd-follow', 'data-testid': testid, 'aria-pressed': String(pressed), onclick }, label);
  }

  async function setFollow(path, query, on, button) {
    button.disabled = true;
    try {
      const result = await api(on ? 'PUT' : 'DELETE', path, { query });
      button.setAttribute('aria-pressed', String(result.is_following));
      return result.is_following;
    } catch (caught) {
      fail(caught);
      return !on;
    } finally {
      button.disabled = false;
    }
  }

  // The state changes first in `state`; then whichever button shows it now is updated (a live
  // update may have redrawn the comment, and its button, while the request was out).
  async function toggleStoryFollow(event) {
    state.followingStory = await setFollow('/follows/story', { url: state.storyUrl }, !state.followingStory, event.currentTarget);
    ui.auth.querySelector('[data-testid="follow-story"]')?.setAttribute('aria-pressed', String(state.followingStory));
  }

  async function toggleCommentFollow(comment, button) {
    const following = await setFollow(`/follows/comments/${comment.id}`, {}, !state.followed.has(comment.id), button);
    if (following) state.followed.add(comment.id);
    else state.followed.delete(comment.id);
    nodeFor(comment.id)?.querySelector(':scope > .cd-main [data-testid="follow-replies"]')
      ?.setAttribute('aria-pressed', String(following));
  }

  /** Record the reader's visit and show what is new for them since the last one. */
  async function loadActivity() {
    state.visited = true;
    try {
      renderActivity(await api('POST', '/activity', { query: { url: state.storyUrl } }));
    } catch (caught) {
      state.visited = false; // try again on the next refresh
      fail(caught);
    }
  }

  function renderActivity(activity) {
    ui.activity.hidden = !activity.items.length;
    ui.activityList.replaceChildren(...activity.items.map(({ kind, comment, story }) => {
      const name = comment.author ? comment.author.name : t('comment.former_reader');
      const here = story.url === state.story?.url;
      return h('li', { class: 'cd-news', 'data-testid': 'activity-item', 'data-kind': kind },
        h('p', { class: 'cd-meta' }, h('strong', { class: 'cd-author' }, t(`activity.${kind}`, { name })),
          !here && ` ${t('activity.on_story', { title: story.title || story.url })}`, ' | ',
          h('time', { datetime: comment.created_at }, relativeTime(comment.created_at))),
        h('p', { class: 'cd-excerpt' }, excerpt(comment.html)),
        // On this story the link stays on the host page (and scrolls); others lead to their story.
        h('a', { href: `${here ? '' : story.url}#comment-${comment.id}`, 'data-testid': 'activity-go' }, t('activity.go')));
    }));
    ui.activityMore.hidden = !activity.has_more;
  }

  async function markRead() {
    try {
      await api('POST', '/activity/read', { query: { url: state.storyUrl } });
      ui.activity.hidden = true;
      ui.list.focus(); // the button that had focus is gone
      say(t('activity.cleared'), ui.announce);
    } catch (caught) {
      fail(caught);
    }
  }

  function excerpt(html) {
    const text = htmlToText(html);
    return text.length > 140 ? `${text.slice(0, 139)}…` : text;
  }

  function slotOf(comment) {
    return nodeFor(comment.id).querySelector(':scope > .cd-main > .cd-slot');
  }

  function openReply(comment) {
    if (!requireAccount(t('reply.sign_in'))) return;
    const slot = slotOf(comment);
    const close = () => slot.replaceChildren();
    const name = comment.author ? comment.author.name : 'this comment';
    slot.replaceChildren(composer({
      label: t('reply.label', { name }), submit: t('reply.post'), parent: comment, onposted: close, oncancel: close,
    }));
    slot.querySelector('textarea').focus();
  }

  async function openEdit(comment) {
    if (comment.body == null) {
      // The public thread carries HTML only; the author's view of a comment has its Markdown.
      try {
        comment.body = (await api('GET', `/comments/${comment.id}`)).body;
      } catch (caught) {
        return fail(caught);
      }
    }
    const slot = slotOf(comment);
    const close = () => slot.replaceChildren();
    slot.replaceChildren(composer({
      label: t('edit.label'), submit: t('edit.save'), comment, oncancel: close,
      onposted: (updated) => {
        Object.assign(comment, updated, { replies: comment.replies });
        redraw(comment);
      },
    }));
    slot.querySelector('textarea').focus();
  }

  function deleteButton(comment) {
    const wrapper = h('span', { class: 'cd-delete' });
    const ask = () => wrapper.replaceChildren(
      `${t('delete.confirm')} `,
      linkButton(t('delete.yes'), 'confirm-delete', () => remove(comment)),
      linkButton(t('delete.keep'), 'keep', () => wrapper.replaceChildren(start)));
    const start = linkButton(t('action.delete'), 'delete', ask);
    wrapper.append(start);
    return wrapper;
  }

  async function remove(comment) {
    try {
      await api('DELETE', `/comments/${comment.id}`);
    } catch (error) {
      return fail(error);
    }
    if (comment.status === 'approved') {
      state.story.comment_count = Math.max(0, state.story.comment_count - 1);
      renderCount();
    }
    if (comment.replies.length || comment.reply_count) {
      comment.is_tombstone = true;
      redraw(comment);
    } else {
      nodeFor(comment.id).remove();
      detach(comment);
    }
  }

  async function toggleReaction(comment) {
    if (!requireAccount(t('respect.sign_in'))) return;
    const reacted = state.reacted.has(comment.id);
    try {
      const result = await api(reacted ? 'DELETE' : 'POST', `/comments/${comment.id}/reactions`);
      comment.reaction_count = result.reaction_count;
      if (result.reacted) state.reacted.add(comment.id);
      else state.reacted.delete(comment.id);
      redraw(comment);
    } catch (error) {
      fail(error);
    }
  }

  // ---------------------------------------------------------------- report dialog

  function reportDialog() {
    const error = h('p', { class: 'cd-error', role: 'alert', 'aria-live': 'assertive' });
    const form = h('form', { method: 'dialog' },
      h('fieldset', {},
        h('legend', {}, t('report.why')),
        REASONS.map((value, position) => h('label', { class: 'cd-choice' },
          h('input', { type: 'radio', name: 'reason', value, required: true, checked: position === 0 }), ` ${t(`reason.${value}`)}`))),
      h('label', { class: 'cd-field' }, h('span', {}, t('report.note')),
        h('textarea', { name: 'note', rows: 3, maxlength: 500, 'data-testid': 'report-note' })),
      h('div', { class: 'cd-row' },
        h('button', { type: 'submit', class: 'cd-primary', 'data-testid': 'report-submit' }, t('report.send')),
        linkButton(t('action.cancel'), 'report-cancel', () => dialog.close())),
      error);
    const dialog = h('dialog', { class: 'cd-dialog', 'data-testid': 'report-dialog', 'aria-label': t('report.title') },
      h('h2', {}, t('report.title')), form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      sendReport(dialog, form, error);
    });
    // The modal dialog keeps focus inside while open; on closing, focus goes back to where it
    // was, or, once the report is sent, to the thanks that replaced the button.
    dialog.addEventListener('keydown', (event) => trapFocus(event, dialog));
    dialog.addEventListener('close', () => {
      if (dialog.returnFocus && dialog.returnFocus.isConnected) dialog.returnFocus.focus();
    });
    return dialog;
  }

  /** Tab past the dialog's last control comes back to its first, and Shift+Tab the other way
   * (a modal dialog alone would let focus out to the browser's own controls). */
  function trapFocus(event, dialog) {
    if (event.key !== 'Tab') return;
    const stops = [...dialog.querySelectorAll('input:checked, textarea, button')].filter((node) => !node.disabled);
    const first = stops[0];
    const last = stops[stops.length - 1];
    const active = ui.host.shadowRoot.activeElement;
    if (event.shiftKey ? active === first : active === last) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  }

  function openReport(comment) {
    if (!requireAccount(t('report.sign_in'))) return;
    const dialog = ui.dialog;
    const form = dialog.querySelector('form');
    form.reset();
    dialog.querySelector('.cd-error').textContent = '';
    dialog.commentId = comment.id;
    dialog.returnFocus = ui.host.shadowRoot.activeElement;
    dialog.showModal();
  }

  async function sendReport(dialog, form, error) {
    const comment = state.byId.get(dialog.commentId);
    const values = Object.fromEntries(new FormData(form));
    try {
      await api('POST', `/comments/${comment.id}/reports`, { body: { reason: values.reason, note: values.note.trim() || null } });
    } catch (caught) {
      if (caught.code !== 'conflict') return fail(caught, error); // conflict: already reported
    }
    state.reported.add(comment.id);
    redraw(comment);
    dialog.returnFocus = nodeFor(comment.id)?.querySelector(':scope > .cd-main [data-testid=reported]');
    dialog.close();
  }

  // ---------------------------------------------------------------- mounting

  async function loadMore() {
    ui.more.disabled = true;
    try {
      const shown = new Set(state.comments.map((comment) => comment.id));
      const comments = await loadThread({ cursor: state.nextCursor });
      const fresh = comments.filter((comment) => !shown.has(comment.id));
      state.comments.push(...fresh);
      ui.list.append(...fresh.map(commentNode));
      renderCount();
    } catch (error) {
      fail(error);
    }
    ui.more.disabled = false;
    ui.more.hidden = !state.nextCursor;
  }

  /** The story's text from the element the publisher names (`data-story-text-selector`), sent
   * once when the server has none, so the moderation assistant can tell on-topic comments. */
  function sendStoryText() {
    const element = state.storyTextSelector && state.story && !state.story.has_text
      && document.querySelector(state.storyTextSelector);
    const text = element ? element.innerText.trim().slice(0, 20000) : '';
    if (text) api('POST', '/threads/story-text', { body: { url: state.storyUrl, text } }).catch(() => {});
  }

  function configure(host) {
    state.storyTextSelector = host.dataset.storyTextSelector || null;
    state.storyUrl = host.dataset.storyUrl || (document.querySelector('link[rel=canonical]') || {}).href || location.href.split('#')[0];
    state.storyTitle = host.dataset.storyTitle || document.title;
    if (SORTS.includes(host.dataset.sort)) state.sort = host.dataset.sort;
  }

  function mount(host) {

    const root = host.attachShadow({ mode: 'open' });
    ui.policyText = h('p', { class: 'cd-policy-text' });
    ui.policy = h('section', { class: 'cd-policy', 'data-testid': 'policy', 'aria-label': t('thread.policy_label'), hidden: true },
      h('h2', {}, t('thread.policy')), ui.policyText);
    ui.disclaimer = h('p', { class: 'cd-disclaimer', 'data-testid': 'disclaimer', hidden: true });
    ui.auth = h('div', { class: 'cd-auth', 'data-testid': 'auth' });
    ui.error = h('p', { class: 'cd-error', role: 'status', 'aria-live': 'polite', 'data-testid': 'error' });
    ui.composer = h('div', { class: 'cd-composer-slot' });
    ui.count = h('h2', { class: 'cd-count-heading', 'data-testid': 'comment-count' }, t('thread.loading'));
    ui.sort = h('select', { 'aria-label': t('thread.sort_label'), 'data-testid': 'sort', onchange: (event) => { state.sort = event.target.value; refresh(); } },
      SORTS.map((value) => h('option', { value, selected: value === state.sort }, t(`sort.${value}`))));
    ui.list = h('ol', { class: 'cd-list', 'data-testid': 'comment-list', 'aria-label': t('thread.comments'), tabindex: '-1' });
    ui.featuredList = h('ol', { class: 'cd-picks' });
    ui.featured = h('section', { class: 'cd-featured', 'data-testid': 'featured', 'aria-label': t('featured.title'), hidden: true },
      h('h2', {}, t('featured.title')), ui.featuredList);
    ui.fresh = h('button', { type: 'button', class: 'cd-fresh', 'data-testid': 'new-comments', hidden: true, onclick: showWaiting });
    ui.announce = h('p', { class: 'cd-visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'announcer' });
    ui.host = host;
    ui.back = h('button', { type: 'button', class: 'cd-link', 'data-testid': 'back-to-thread', hidden: true, onclick: leaveFocus }, t('thread.back'));
    ui.more = h('button', { type: 'button', class: 'cd-more', 'data-testid': 'load-more', hidden: true, onclick: loadMore }, t('thread.more'));
    ui.dialog = reportDialog();
    ui.activityList = h('ol', { class: 'cd-picks' });
    ui.activityMore = h('p', { class: 'cd-note', hidden: true }, t('activity.more'));
    ui.activity = h('section', { class: 'cd-featured cd-activity', 'data-testid': 'activity', 'aria-label': t('activity.title'), hidden: true },
      h('h2', {}, t('activity.title')), ui.activityList, ui.activityMore,
      h('button', { type: 'button', 'data-testid': 'activity-read', onclick: markRead }, t('activity.read')));

    root.append(
      h('style', {}, STYLE),
      h('section', { class: 'cd', 'aria-label': t('thread.region'), lang: state.locale },
        ui.policy, ui.disclaimer, ui.auth, ui.activity, ui.error, ui.composer, ui.featured,
        h('div', { class: 'cd-toolbar' }, ui.count, h('label', { class: 'cd-sort' }, `${t('thread.sort_by')} `, ui.sort)),
        ui.fresh, ui.announce, ui.back, ui.list, ui.more, ui.dialog));
    const ssoToken = state.pendingSso || host.dataset.ssoToken;
    state.pendingSso = null;
    if (ssoToken) signInWithSso(ssoToken);
    else refresh();
  }

  // The dark palette, for data-theme="dark" and for "auto" when the reader's system is dark.
  const DARK = `
  --cd-text: #ececec;
  --cd-muted: #b3b3b3;
  --cd-background: #161616;
  --cd-surface: #24221e;
  --cd-border: #8c8c8c;
  --cd-rule: #3a3a3a;
  --cd-thread-line: #3d3a33;
  --cd-accent: #7fb2ff;
  --cd-accent-text: #0b0b0b;
  --cd-policy-accent: #c9a66b;
  --cd-notice: #3b3212;
  --cd-removed: #4a1f1d;
  --cd-error: #ff8a80;
  --cd-success: #8fd18f;
  --cd-focus: #7fb2ff;
`;

  const STYLE = `
:host { display: block !important; }
:host {
  --cd-font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  --cd-font-size: 16px;
  --cd-line-height: 1.45;
  --cd-text: #1a1a1a;
  --cd-muted: #595959;
  --cd-background: #ffffff;
  --cd-surface: #f6f4ef;
  --cd-border: #8c8c8c;
  --cd-rule: #dddddd;
  --cd-thread-line: #e4e0d8;
  --cd-accent: #1f5fa8;
  --cd-accent-text: #ffffff;
  --cd-policy-accent: #8a6d3b;
  --cd-notice: #fff6db;
  --cd-removed: #fde2e1;
  --cd-error: #a4161a;
  --cd-success: #2d6a2d;
  --cd-focus: #1f5fa8;
  --cd-radius: 3px;
}
:host([data-theme="dark"]) {
${DARK}}
@media (prefers-color-scheme: dark) {
  :host([data-theme="auto"]) {
${DARK}  }
}
/* The host page's inherited styles (colour, font, spacing) stop here. */
.cd { all: initial; display: block; font-family: var(--cd-font-family); font-size: var(--cd-font-size);
      line-height: var(--cd-line-height); color: var(--cd-text); background: var(--cd-background); text-align: start; }
.cd * { box-sizing: border-box; }
[hidden] { display: none !important; }
.cd h2 { font-size: calc(1 * var(--cd-font-size)); margin: 0 0 calc(.4 * var(--cd-font-size)); }
.cd-policy { background: var(--cd-surface); border-left: 4px solid var(--cd-policy-accent); padding: calc(.75 * var(--cd-font-size)) calc(1 * var(--cd-font-size)); margin-bottom: calc(.75 * var(--cd-font-size)); }
.cd-policy-text { margin: 0; white-space: pre-line; font-size: calc(.92 * var(--cd-font-size)); }
.cd-disclaimer { font-size: calc(.85 * var(--cd-font-size)); color: var(--cd-muted); font-style: italic; margin: 0 0 calc(1 * var(--cd-font-size)); }
.cd-auth { display: flex; flex-wrap: wrap; gap: calc(.5 * var(--cd-font-size)); align-items: center; border-top: 1px solid var(--cd-rule); border-bottom: 1px solid var(--cd-rule); padding: calc(.6 * var(--cd-font-size)) 0; margin-bottom: calc(.75 * var(--cd-font-size)); }
.cd-auth p { margin: 0; flex: 1 1 auto; }
.cd-auth-form { flex: 1 1 100%; display: grid; gap: calc(.5 * var(--cd-font-size)); max-width: calc(26 * var(--cd-font-size)); }
.cd-field { display: grid; gap: calc(.25 * var(--cd-font-size)); font-size: calc(.9 * var(--cd-font-size)); font-weight: 600; }
.cd input, .cd textarea, .cd select { font: inherit; font-weight: normal; padding: calc(.4 * var(--cd-font-size)) calc(.5 * var(--cd-font-size)); border: 1px solid var(--cd-border); border-radius: var(--cd-radius); color: var(--cd-text); background: var(--cd-background); }
.cd textarea { width: 100%; box-sizing: border-box; resize: vertical; }
.cd button { font: inherit; font-size: calc(.9 * var(--cd-font-size)); cursor: pointer; border: 1px solid var(--cd-border); border-radius: var(--cd-radius); background: var(--cd-background); color: var(--cd-text); padding: calc(.3 * var(--cd-font-size)) calc(.7 * var(--cd-font-size)); }
.cd button:disabled { cursor: default; opacity: .6; }
.cd button:focus-visible, .cd input:focus-visible, .cd textarea:focus-visible, .cd select:focus-visible { outline: 2px solid var(--cd-focus); outline-offset: 1px; }
.cd .cd-primary { background: var(--cd-text); color: var(--cd-background); border-color: var(--cd-text); }
.cd .cd-link { border: none; background: none; padding: calc(.2 * var(--cd-font-size)) calc(.3 * var(--cd-font-size)); color: var(--cd-accent); text-decoration: underline; }
.cd-row { display: flex; gap: calc(.5 * var(--cd-font-size)); align-items: center; }
.cd-composer { display: grid; gap: calc(.5 * var(--cd-font-size)); margin: calc(.5 * var(--cd-font-size)) 0 calc(1 * var(--cd-font-size)); }
.cd-error { color: var(--cd-error); margin: calc(.25 * var(--cd-font-size)) 0; min-height: 0; }
.cd-error:empty { display: none; }
.cd-note { color: var(--cd-muted); }
.cd-toolbar { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid var(--cd-text); margin-top: calc(1 * var(--cd-font-size)); }
.cd-count-heading { font-size: calc(1.15 * var(--cd-font-size)) !important; }
.cd-sort { font-size: calc(.9 * var(--cd-font-size)); }
.cd-list, .cd-replies { list-style: none; margin: 0; padding: 0; }
.cd-replies { margin-left: calc(1.5 * var(--cd-font-size)); border-left: 2px solid var(--cd-thread-line); padding-left: calc(.9 * var(--cd-font-size)); }
.cd-main { padding: calc(.75 * var(--cd-font-size)) 0; border-bottom: 1px solid var(--cd-rule); }
.cd-meta { margin: 0 0 calc(.3 * var(--cd-font-size)); font-size: calc(.85 * var(--cd-font-size)); color: var(--cd-muted); }
.cd-author { color: var(--cd-text); }
.cd-body { overflow-wrap: anywhere; }
.cd-body p { margin: 0 0 calc(.5 * var(--cd-font-size)); }
.cd-body a { color: var(--cd-accent); }
.cd-status { font-size: calc(.85 * var(--cd-font-size)); background: var(--cd-notice); padding: calc(.2 * var(--cd-font-size)) calc(.5 * var(--cd-font-size)); margin: 0 0 calc(.4 * var(--cd-font-size)); display: inline-block; }
.cd-rejected { background: var(--cd-removed); }
.cd-tombstone { color: var(--cd-muted); font-style: italic; }
.cd-actions { display: flex; flex-wrap: wrap; gap: calc(.4 * var(--cd-font-size)); align-items: center; font-size: calc(.9 * var(--cd-font-size)); }
.cd .cd-respect[aria-pressed="true"], .cd .cd-follow[aria-pressed="true"] { background: var(--cd-accent); color: var(--cd-accent-text); border-color: var(--cd-accent); }
.cd-report { color: var(--cd-muted) !important; margin-left: auto; }
.cd-reported { color: var(--cd-success); margin-left: auto; font-size: calc(.85 * var(--cd-font-size)); }
.cd-featured { border: 1px solid var(--cd-policy-accent); padding: calc(.5 * var(--cd-font-size)) calc(.75 * var(--cd-font-size)); margin: calc(.75 * var(--cd-font-size)) 0; }
.cd-picks { list-style: none; margin: 0; padding: 0; }
.cd-pick { padding: calc(.4 * var(--cd-font-size)) 0; border-bottom: 1px solid var(--cd-rule); }
.cd-excerpt { margin: 0 0 calc(.3 * var(--cd-font-size)); }
.cd-news a { color: var(--cd-accent); }
.cd-activity > button { margin-top: calc(.5 * var(--cd-font-size)); }
.cd-badge { font-size: calc(.8 * var(--cd-font-size)); font-weight: 600; color: var(--cd-policy-accent); }
.cd-linked > .cd-main { background: var(--cd-notice); box-shadow: -6px 0 0 var(--cd-accent); }
.cd-nudge { background: var(--cd-notice); border-left: 4px solid var(--cd-policy-accent); padding: calc(.5 * var(--cd-font-size)) calc(.75 * var(--cd-font-size)); }
.cd-nudge p, .cd-nudge ul { margin: 0 0 calc(.4 * var(--cd-font-size)); }
.cd-toolbar-row { display: flex; flex-wrap: wrap; gap: calc(.3 * var(--cd-font-size)); font-weight: normal; }
.cd .cd-tool { font-size: calc(.8 * var(--cd-font-size)); padding: calc(.1 * var(--cd-font-size)) calc(.5 * var(--cd-font-size)); }
.cd-preview { border: 1px dashed var(--cd-border); padding: calc(.5 * var(--cd-font-size)); min-height: calc(4 * var(--cd-font-size)); }
.cd-counter { font-size: calc(.85 * var(--cd-font-size)); color: var(--cd-muted); }
.cd-counter-low { color: var(--cd-error); }
.cd-more { display: block; margin: calc(1 * var(--cd-font-size)) auto; }
.cd .cd-fresh { display: block; width: 100%; margin: calc(.5 * var(--cd-font-size)) 0; background: var(--cd-accent); color: var(--cd-accent-text); border-color: var(--cd-accent); }
.cd-list:focus { outline: none; }
.cd-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.cd-dialog { border: 1px solid var(--cd-border); border-radius: 6px; max-width: calc(24 * var(--cd-font-size)); background: var(--cd-background); color: var(--cd-text); }
.cd-dialog::backdrop { background: rgba(0, 0, 0, .35); }
.cd-dialog fieldset { border: none; padding: 0; margin: 0 0 calc(.75 * var(--cd-font-size)); display: grid; gap: calc(.3 * var(--cd-font-size)); }
.cd-choice { font-size: calc(.95 * var(--cd-font-size)); }
`;

  function start() {
    const host = document.getElementById('commentdesk-thread');
    if (!host || host.shadowRoot || host.dataset.commentdeskStarted) return;
    host.dataset.commentdeskStarted = 'true';
    configure(host);
    // The thread and the reader's language are fetched side by side; the page draws when both
    // are in. A failed thread read is retried (and reported) by the first refresh.
    state.firstPage = host.dataset.ssoToken ? null : loadThread().catch(() => null);
    loadLocale(chooseLocale(host)).then(() => mount(host));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
