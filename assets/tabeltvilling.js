/* The Diagram | Tabel switch under every chart (components/hent.py), in the browser. Dash loads this on every page;
   no inline script: the CSP forbids them.

   A click (or Enter/Space) on a switch's button shows the chart or its table, and marks the pressed button with
   aria-pressed. The table is the chart's own CSV link asked for in the API's `html` format (the same rows, written
   by kdk.export.htmltabel), fetched when first shown; when a callback redraws the chart's caption while its table
   is shown, the table is fetched again for the caption's new link, so it stays in step with the chart. Its texts
   are the server's in the page's language (window.kdkSprog.tekst, assets/sprog.js), as is the API's message (the
   link asks in that language). */
(function () {
    'use strict';

    function adresse(figur) {
        const csv = figur.querySelector('figcaption a[href*="format=csv"]');
        return csv ? csv.getAttribute('href').replace('format=csv', 'format=html') : null;
    }

    function hent(figur) {
        const panel = figur.querySelector('.tvilling-tabel');
        const url = adresse(figur);
        if (!panel || !url || panel.dataset.adresse === url) { return; }
        panel.dataset.adresse = url;
        panel.setAttribute('aria-busy', 'true');
        panel.textContent = window.kdkSprog.tekst('henterTabel');
        fetch(url, {credentials: 'same-origin'})
            .then(function (svar) {
                if (svar.ok) { return svar.text(); }
                // The API's message in the page's language; never the browser's (a lost connection, a body not
                // JSON).
                return svar.json().catch(function () { return {}; })
                    .then(function (fejl) { throw {besked: fejl.fejl}; });
            })
            .then(function (tabel) {
                if (panel.dataset.adresse === url) { panel.innerHTML = tabel; }
            })
            .catch(function (fejl) {
                if (panel.dataset.adresse !== url) { return; }
                panel.dataset.fejl = 'ja';   // asked for again at the next switch, not at every change of the page
                panel.textContent = window.kdkSprog.tekst('tabelFejl') + ' '
                    + ((fejl && fejl.besked) || window.kdkSprog.tekst('proevIgen'));
            })
            .finally(function () { panel.removeAttribute('aria-busy'); });
    }

    function vis(figur, visning) {
        figur.dataset.visning = visning;
        figur.querySelectorAll('.tvilling-knap').forEach(function (knap) {
            knap.setAttribute('aria-pressed', String(knap.dataset.visning === visning));
        });
        figur.querySelector('.tvilling-tabel').hidden = visning !== 'tabel';
        if (visning === 'tabel') {
            const panel = figur.querySelector('.tvilling-tabel');
            if (panel.dataset.fejl) { delete panel.dataset.fejl; delete panel.dataset.adresse; }
            hent(figur);
        }
    }

    document.addEventListener('click', function (event) {
        const knap = event.target.closest('.tvilling-knap');
        const figur = knap && knap.closest('figure.tvilling');
        if (figur) { vis(figur, knap.dataset.visning); }
    });

    new MutationObserver(function () {
        document.querySelectorAll('figure.tvilling[data-visning="tabel"]').forEach(hent);
    }).observe(document.documentElement, {childList: true, subtree: true});
}());
