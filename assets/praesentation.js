/* The presentation view (?visning=praesentation; the server draws the page in it, components/praesentation.py).

   - The header's button "Præsentation" opens the page shown in the view; the link "Afslut præsentation" and Escape
     leave it, at the same page. Both navigate as Dash's own links do (no reload). A page's own links keep the view.
   - The steps are the view's frame (step 0, the page's head), then each section, card and chart in page order
     (cards side by side, and a chart beside its card, are one step). →, ↓ and PageDown show the next step at the
     top of the screen, ←, ↑ and PageUp the one before. The step is kept in the address (&trin=N, history.replaceState: no render, no history entry), so a
     reload or a viewer following the host's address (visning and trin) sees the same step.
   Reads the address and the page; writes the address and the scroll position. */
(function () {
    'use strict';
    const VIEW = 'praesentation';
    const STEPS = 'section, .noegletal-kort, .tema-raekke, .dybde-raekke, figure.tvilling';
    const NEXT = ['ArrowRight', 'ArrowDown', 'PageDown'];
    const PREVIOUS = ['ArrowLeft', 'ArrowUp', 'PageUp'];
    let shown = null;    // the frame whose step was last applied
    let step = 0;

    function frame() { return document.querySelector('.praesentation'); }

    /* The address of this page in the view (`view`) or out of it (null), at step `at` (or none). */
    function address(view, at) {
        const url = new URL(window.location.href);
        url.searchParams.delete('trin');
        if (view) { url.searchParams.set('visning', view); } else { url.searchParams.delete('visning'); }
        if (view && at) { url.searchParams.set('trin', String(at)); }
        return url.pathname + url.search;
    }

    function navigate(href) {
        window.history.pushState({}, '', href);
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    }

    /* The steps of the frame: it, then each visible section and card that does not start where the one before does. */
    function steps(root) {
        const found = [root];
        let top = root.getBoundingClientRect().top;
        root.querySelectorAll(STEPS).forEach(function (el) {
            const rect = el.getBoundingClientRect();
            if (rect.height > 0 && Math.abs(rect.top - top) > 2) { found.push(el); top = rect.top; }
        });
        return found;
    }

    function show(root, at) {
        const all = steps(root);
        step = Math.max(0, Math.min(at, all.length - 1));
        window.scrollTo(0, step === 0 ? 0 : window.scrollY + all[step].getBoundingClientRect().top);
    }

    function go(delta) {
        const root = frame();
        show(root, step + delta);
        window.history.replaceState(window.history.state, '', address(VIEW, step));
    }

    /* A page drawn in the view: its exit link, and the step its address names. */
    function drawn() {
        const root = frame();
        if (!root) { shown = null; return; }
        root.querySelector('.praesentation-afslut').setAttribute('href', address(null));
        if (root !== shown) {
            shown = root;
            show(root, parseInt(new URLSearchParams(window.location.search).get('trin') || '0', 10) || 0);
        }
    }

    document.addEventListener('keydown', function (event) {
        const root = frame();
        const typing = event.target.closest && event.target.closest('input, select, textarea, [contenteditable]');
        if (!root || typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
        if (event.key === 'Escape') {
            navigate(address(null));
        } else if (NEXT.includes(event.key) || PREVIOUS.includes(event.key)) {
            event.preventDefault();
            go(NEXT.includes(event.key) ? 1 : -1);
        }
    });

    /* A link on a page in the view that Dash follows (its Location's event) leads to that page in the view too: the
       address gets the view before the Location reads it. Links Dash does not follow load as usual. */
    let following = false;
    document.addEventListener('click', function (event) {
        following = Boolean(event.target.closest && event.target.closest('.praesentation a[href]:not(.praesentation-afslut)'));
    }, true);
    window.addEventListener('_dashprivate_pushstate', function () {
        if (following) {
            following = false;
            window.history.replaceState(window.history.state, '', address(VIEW));
        }
    });

    document.addEventListener('click', function (event) {
        const target = event.target.closest && event.target.closest('.praesentation-knap, .praesentation-afslut');
        if (!target || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
        event.preventDefault();
        navigate(target.classList.contains('praesentation-knap') ? address(VIEW) : address(null));
    });

    /* Dash draws pages after the script runs, and charts grow when Plotly has drawn them: keep the step in view. */
    new MutationObserver(drawn).observe(document.documentElement, {childList: true, subtree: true});
    new ResizeObserver(function () { if (shown && frame() === shown) { show(shown, step); } })
        .observe(document.documentElement);
})();
