/*
 * The course site's behaviour, hand-written, no framework: the sidebar from toc.js, the menu on
 * narrow screens, the theme switch, ←/→ and / keys, copy buttons, and search through
 * search-index.js (MiniSearch and the index built by `npm run site`, loaded on the first search,
 * so reading a page never pays for it).
 * Everything is loaded with <script> tags, never fetch(), so it all works from file:// too.
 */
(function () {
  'use strict';

  var THEME_KEY = 'fsts-theme';
  var root = document.documentElement;
  var body = document.body;
  var currentPage = body.getAttribute('data-page');
  // Resolved now: document.currentScript is only set while this file first runs.
  var siteRoot = new URL('../', document.currentScript.src).href;
  var searchIndexUrl = new URL('search-index.js', siteRoot).href;

  /**
   * A link to a page of the site, which toc.js and the search index name from the site's top
   * folder. Most pages are there, and the link stays as it is; 404.html may be served for any
   * missing address, however deep, and there the link must start from the site's root.
   */
  function siteHref(href) {
    return new URL('./', window.location.href).href === siteRoot ? href : new URL(href, siteRoot).href;
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Table of contents */

  function renderToc() {
    var nav = document.getElementById('sidebar');
    var groups = window.courseToc;
    if (!nav || !groups) return;
    groups.forEach(function (group) {
      if (group.label) nav.appendChild(el('p', { class: 'toc-label', 'aria-hidden': 'true' }, [group.label]));
      var attributes = group.label ? { 'aria-label': group.label } : {};
      if (group.start) {
        attributes.start = String(group.start);
        // The numbers are drawn by a CSS counter, which starts where the list does.
        attributes.style = 'counter-reset: lesson ' + (group.start - 1);
      }
      var list = el(group.ordered ? 'ol' : 'ul', attributes);
      group.pages.forEach(function (page) {
        var link = el('a', { href: siteHref(page.href) }, [el('span', {}, [page.title])]);
        if (page.href === currentPage) link.setAttribute('aria-current', 'page');
        list.appendChild(el('li', {}, [link]));
      });
      nav.appendChild(list);
    });
  }

  /* Menu (narrow screens) */

  function setupMenu() {
    var button = document.querySelector('.menu-button');
    var nav = document.getElementById('sidebar');
    if (!button || !nav) return;
    function setOpen(open) {
      body.classList.toggle('sidebar-open', open);
      button.setAttribute('aria-expanded', String(open));
    }
    button.addEventListener('click', function () {
      var open = !body.classList.contains('sidebar-open');
      setOpen(open);
      if (open) {
        var current = nav.querySelector('[aria-current="page"]') || nav.querySelector('a');
        if (current) current.focus();
      }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && body.classList.contains('sidebar-open')) {
        setOpen(false);
        button.focus();
      }
    });
    document.addEventListener('click', function (event) {
      if (body.classList.contains('sidebar-open') && !nav.contains(event.target) && !button.contains(event.target)) setOpen(false);
    });
  }

  /* Theme: follows the OS until the reader picks the other one. */

  var darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

  function effectiveTheme() {
    return root.getAttribute('data-theme') || (darkQuery.matches ? 'dark' : 'light');
  }

  function setupTheme() {
    var button = document.querySelector('.theme-button');
    if (!button) return;
    function show() {
      var dark = effectiveTheme() === 'dark';
      button.setAttribute('aria-pressed', String(dark));
      button.title = dark ? 'Dark theme (click for light)' : 'Light theme (click for dark)';
    }
    button.addEventListener('click', function () {
      var next = effectiveTheme() === 'dark' ? 'light' : 'dark';
      var system = darkQuery.matches ? 'dark' : 'light';
      // Choosing what the OS already says means "follow the OS" again.
      try {
        if (next === system) localStorage.removeItem(THEME_KEY);
        else localStorage.setItem(THEME_KEY, next);
      } catch (e) { /* storage disabled: the choice lasts for this page only */ }
      if (next === system) root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', next);
      show();
    });
    darkQuery.addEventListener('change', show);
    show();
  }

  /* Keys: ← and → for the previous and next page, / for search. */

  function isTyping(target) {
    return target instanceof Element && (target.closest('input, textarea, select, [contenteditable]') !== null);
  }

  function setupKeys() {
    document.addEventListener('keydown', function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (isTyping(event.target)) return;
      if (event.key === '/') {
        var input = document.getElementById('search-input');
        if (input) {
          event.preventDefault();
          input.focus();
        }
        return;
      }
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      // A focused code block or table scrolls sideways with the arrows: leave them to it.
      if (event.target instanceof Element && event.target.closest('pre, .table-wrap')) return;
      var link = document.querySelector(event.key === 'ArrowLeft' ? '.pager a[rel="prev"]' : '.pager a[rel="next"]');
      if (link) {
        event.preventDefault();
        window.location.href = link.href;
      }
    });
  }

  /* Copy buttons */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http from another machine (say, the learner's own server on the LAN) has no
    // clipboard API: fall back to a selection and the older copy command.
    return new Promise(function (resolve, reject) {
      var area = el('textarea', { readonly: '', class: 'visually-hidden' });
      area.value = text;
      body.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      body.removeChild(area);
      if (ok) resolve(); else reject(new Error('copy refused'));
    });
  }

  function setupCopyButtons() {
    var status = document.getElementById('copy-status');
    document.querySelectorAll('.code-block').forEach(function (block) {
      var code = block.querySelector('code');
      var button = el('button', { type: 'button', class: 'copy-button' }, ['Copy']);
      button.addEventListener('click', function () {
        copyText(code.textContent).then(function () {
          button.textContent = 'Copied';
          button.classList.add('copied');
          if (status) status.textContent = 'Code copied to the clipboard.';
        }, function () {
          button.textContent = 'Press Ctrl+C';
          var range = document.createRange();
          range.selectNodeContents(code);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        });
        setTimeout(function () {
          button.textContent = 'Copy';
          button.classList.remove('copied');
        }, 2000);
      });
      block.appendChild(button);
    });
  }

  /* Search */

  var indexState = 'none'; // none → loading → ready | failed
  var whenLoaded = null;

  /** Runs `then` once the index has loaded (or failed to); while it loads, only the latest `then` counts. */
  function loadIndex(then) {
    if (indexState === 'ready' || indexState === 'failed') return then();
    whenLoaded = then;
    if (indexState === 'loading') return;
    indexState = 'loading';
    var script = el('script', { src: searchIndexUrl });
    script.onload = function () { indexState = window.courseSearch ? 'ready' : 'failed'; whenLoaded(); };
    script.onerror = function () { indexState = 'failed'; whenLoaded(); };
    document.head.appendChild(script);
  }

  /**
   * Lower case without accents, one character for one: highlighting finds matches in the
   * normalized text and marks the same positions in the original.
   */
  function normalize(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var base = text[i].normalize('NFD')[0].toLowerCase();
      out += base.length === 1 ? base : text[i];
    }
    return out;
  }

  /**
   * A pattern for the words a result matched. The index knows "keep-alive" also as "keepalive",
   * so a hyphen may stand between any two letters. When a hyphenated word of the query matched
   * whole, its parts are not marked on their own: "if-none-match" marks If-None-Match, not
   * every "if" and "match" around it.
   */
  function matcher(terms, query) {
    var parts = {};
    (normalize(query).match(/[a-z0-9]+(?:-[a-z0-9]+)+/g) || []).forEach(function (word) {
      if (terms.indexOf(word.replace(/-/g, '')) !== -1) word.split('-').forEach(function (part) { parts[part] = true; });
    });
    var words = terms.filter(function (term) { return term.length > 1 && !parts[term]; }).sort(function (a, b) { return b.length - a.length; });
    if (!words.length) return null;
    // Only at the start of a word: "if" marks If-None-Match, not "different". Group 1 is what
    // stands before the word (no lookbehind: Safari before 16.4 cannot compile one), group 2 the word.
    return new RegExp('(^|[^a-z0-9])(' + words.map(function (word) {
      return word.split('').map(function (c) { return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }).join('-?');
    }).join('|') + ')', 'g');
  }

  /** About 160 characters of the text around the first match, as plain text. */
  function snippet(text, pattern) {
    var at = -1;
    if (pattern) {
      pattern.lastIndex = 0;
      var found = pattern.exec(normalize(text));
      if (found) at = found.index + found[1].length;
    }
    var start = Math.max(0, at - 50);
    if (start > 0) start = text.indexOf(' ', start) + 1 || start;
    var end = Math.min(text.length, start + 160);
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  /** Text with every match wrapped in <mark>, built as DOM nodes so nothing in it is read as HTML. */
  function highlighted(text, pattern) {
    var fragment = document.createDocumentFragment();
    var position = 0;
    if (pattern) {
      var lower = normalize(text);
      var found;
      pattern.lastIndex = 0;
      while ((found = pattern.exec(lower)) !== null) {
        var from = found.index + found[1].length;
        fragment.appendChild(document.createTextNode(text.slice(position, from)));
        fragment.appendChild(el('mark', {}, [text.slice(from, from + found[2].length)]));
        position = from + found[2].length;
      }
    }
    fragment.appendChild(document.createTextNode(text.slice(position)));
    return fragment;
  }

  function setupSearch() {
    var input = document.getElementById('search-input');
    var panel = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    if (!input || !panel) return;

    function close() {
      panel.hidden = true;
    }

    function show(nodes, message) {
      panel.textContent = '';
      nodes.forEach(function (node) { panel.appendChild(node); });
      panel.hidden = false;
      status.textContent = message;
    }

    function run() {
      var query = input.value.trim();
      if (!query) return close();
      if (indexState === 'failed') return show([el('p', {}, ['Search is not available: search-index.js did not load.'])], 'Search is not available.');
      if (indexState !== 'ready') return loadIndex(run);
      var results = window.courseSearch.search(query);
      if (!results.length) return show([el('p', {}, ['Nothing found for “' + query + '”.'])], 'No results.');
      var list = el('ul', {});
      results.forEach(function (result) {
        var entry = result.section;
        var pattern = matcher(result.terms, query);
        var title = el('span', { class: 'result-title' }, [highlighted(entry.h || entry.p, pattern)]);
        if (entry.h) title.appendChild(el('span', { class: 'result-page' }, [' · ' + entry.p]));
        var text = el('span', { class: 'result-text' });
        text.appendChild(highlighted(snippet(entry.t, pattern), pattern));
        list.appendChild(el('li', {}, [el('a', { href: siteHref(entry.u) }, [title, text])]));
      });
      show([list], results.length + (results.length === 1 ? ' result.' : ' results.') + ' Press the down arrow to reach them.');
    }

    input.addEventListener('input', run);
    // Start loading on focus, so the index is usually there by the first keystroke.
    input.addEventListener('focus', function () { loadIndex(run); });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        if (panel.hidden) input.blur();
        input.value = '';
        close();
      } else if (event.key === 'ArrowDown') {
        var first = panel.querySelector('a');
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === 'Enter') {
        var top = panel.querySelector('a');
        if (top) { event.preventDefault(); window.location.href = top.href; }
      }
    });
    panel.addEventListener('keydown', function (event) {
      var links = Array.prototype.slice.call(panel.querySelectorAll('a'));
      var at = links.indexOf(document.activeElement);
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        var next = at + (event.key === 'ArrowDown' ? 1 : -1);
        if (next < 0) input.focus();
        else if (links[next]) links[next].focus();
      } else if (event.key === 'Escape') {
        close();
        input.focus();
      }
    });
    // A result for a section of the page already open only moves the page: close the panel.
    panel.addEventListener('click', function (event) {
      if (event.target instanceof Element && event.target.closest('a')) close();
    });
    document.addEventListener('click', function (event) {
      if (!panel.hidden && !panel.contains(event.target) && event.target !== input) close();
    });
  }

  function setupPrint() {
    document.querySelectorAll('.print-button').forEach(function (button) {
      button.addEventListener('click', function () { window.print(); });
    });
  }

  renderToc();
  setupMenu();
  setupTheme();
  setupKeys();
  setupCopyButtons();
  setupSearch();
  setupPrint();
})();
