/**
 * Commentdesk count script: replaces the text of every element marked
 * `data-commentdesk-count="<story url>"` with that story's comment count ("12 comments"),
 * using one GET /api/v1/counts call per 100 URLs. Must not need sign-in or break the host page.
 */
(() => {
  'use strict';

  const script = document.currentScript || document.querySelector('script[src*="/widget/count.js"]');
  if (!script) return;
  const endpoint = new URL('../api/v1/counts', script.src);
  const BATCH = 100;

  function label(count) {
    return `${count} comment${count === 1 ? '' : 's'}`;
  }

  async function fetchCounts(urls) {
    const query = new URL(endpoint);
    for (const url of urls) query.searchParams.append('url', url);
    const response = await fetch(query, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`counts request failed (${response.status})`);
    return (await response.json()).counts || {};
  }

  async function run() {
    const elements = [...document.querySelectorAll('[data-commentdesk-count]')];
    const urls = [...new Set(elements.map((element) => element.dataset.commentdeskCount))];
    for (let start = 0; start < urls.length; start += BATCH) {
      const batch = urls.slice(start, start + BATCH);
      let counts;
      try {
        counts = await fetchCounts(batch);
      } catch (error) {
        console.warn('commentdesk:', error); // eslint-disable-line no-console
        continue; // a missing count leaves the host page's own text in place
      }
      for (const element of elements) {
        const url = element.dataset.commentdeskCount;
        if (batch.includes(url)) element.textContent = label(counts[url] ?? 0);
      }
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
})();
