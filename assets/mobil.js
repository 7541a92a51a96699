/* The map on a phone (assets/mobil.css): its colour bar goes into the map's empty north-east corner (the sea)
   instead of beside it, so that the map gets the card's whole width (beside it, the bar and its title left the map
   about 130 px of a 390 px screen).
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
