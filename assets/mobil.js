/* The app on a phone (assets/mobil.css): the map's colour bar in the map, and long pages folded into sections.

   The map: its colour bar goes into the map's empty north-east corner (the sea) instead of beside it, so that the
   map gets the card's whole width (beside it, the bar and its title left the map about 130 px of a 390 px screen).
   Reads the charts in a map's card (.kort, .kortgraf) as Plotly draws them; writes only the colour bar's place, on
   a screen at most 760 px wide, again after each redraw (a new key figure or year draws the server's figure). */
(function () {
    'use strict';
    const narrow = window.matchMedia('(max-width: 760px)');
    const INSIDE = {'marker.colorbar.x': 1, 'marker.colorbar.xanchor': 'right', 'marker.colorbar.y': 1,
                    'marker.colorbar.yanchor': 'top', 'marker.colorbar.len': 0.5, 'marker.colorbar.thickness': 10,
                    'marker.colorbar.title.side': 'right'};

    function inside(gd) {
        if (!narrow.matches || !window.Plotly || !gd.data) { return; }
        const bar = gd.data.findIndex(function (t) { return t.marker && t.marker.colorbar; });
        if (bar < 0 || gd.data[bar].marker.colorbar.xanchor === 'right') { return; }
        window.Plotly.restyle(gd, INSIDE, [bar]);
    }

    function watch(gd) {
        if (gd.kdkMobil || typeof gd.on !== 'function') { return; }
        gd.kdkMobil = true;
        gd.on('plotly_afterplot', function () { inside(gd); });
        inside(gd);
    }

    new MutationObserver(function () {
        document.querySelectorAll('.kort .js-plotly-plot, .kortgraf .js-plotly-plot').forEach(watch);
    }).observe(document.documentElement, {childList: true, subtree: true});
})();

/* Folding sections (components/afsnit.py): on a phone a page with several folds them all but the first (with the
   section holding it, if any) and the one its address points at when it is drawn, except in the presentation view,
   so the page is as long as its headings; a jump menu's link opens the section it goes to. Reads and writes the
   sections' `open`; each section is folded at most once, when drawn. */
(function () {
    'use strict';
    const narrow = window.matchMedia('(max-width: 760px)');

    /* The element the address points at (#omraade-skole, #kort-skole.karakter), if any. */
    function pointedAt() {
        try { return document.getElementById(decodeURIComponent(window.location.hash.slice(1))); }
        catch (e) { return null; }
    }

    function fold() {
        const fresh = document.querySelectorAll('details.afsnit:not([data-foldet])');
        if (!fresh.length) { return; }
        const all = [...document.querySelectorAll('details.afsnit')];
        const first = all.find(function (d) { return !d.querySelector('details.afsnit'); });
        const target = window.location.hash && pointedAt();
        fresh.forEach(function (details) {
            details.setAttribute('data-foldet', '');
            const kept = details.contains(first) || (target && details.parentElement.contains(target))
                || details.closest('.praesentation');   // the presentation view steps through every section
            if (narrow.matches && all.length > 1 && !kept) { details.open = false; }
        });
    }

    document.addEventListener('click', function (event) {
        const link = event.target.closest && event.target.closest('.hopmenu a[href^="#"]');
        const section = link && document.getElementById(link.getAttribute('href').slice(1));
        const details = section && section.querySelector('details.afsnit');
        if (details) { details.open = true; }
    });

    new MutationObserver(fold).observe(document.documentElement, {childList: true, subtree: true});
})();
