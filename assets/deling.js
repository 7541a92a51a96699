/* Sharing (issue 22): draws an embedded chart (/indlejr/..., web/indlejr.py) with the app's Plotly. */
(function () {
  "use strict";

  function drawEmbed() {
    var data = document.getElementById("indlejret-figur");
    if (!data || !window.Plotly) { return; }
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot("indlejret-graf", figure.data, figure.layout, figure.config);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawEmbed);
  } else {
    drawEmbed();
  }
})();
