/* Printing (the layout is assets/print.css): when the page goes to print media, or the browser announces that it
   prints, the foot of every printed page (components/shell.py `udskriftsfod`) gets the page's address, and every
   Plotly chart is redrawn at once at the width of its box in the print layout, so no axis, year or bar is cut off;
   afterwards the charts are drawn at their screen width again. dcc.Graph would resize them too, but only after a
   delay in which the browser may already have laid out the printout. */
(function () {
    function fit() {
        document.querySelectorAll('.udskriftsfod .adresse').forEach(function (el) { el.textContent = location.href; });
        if (!window.Plotly) { return; }
        document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
            if (!gd.layout) { return; }
            delete gd.layout.width;   /* as Plotly.Plots.resize does, without its 100 ms wait */
            delete gd.layout.height;
            window.Plotly.relayout(gd, {autosize: true});
        });
    }
    window.addEventListener('beforeprint', fit);
    window.addEventListener('afterprint', fit);
    window.matchMedia('print').addEventListener('change', fit);
})();
