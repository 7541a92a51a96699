// Plotly with only the trace types the app uses. A page loads it when it draws its first chart:
// dcc.Graph fetches plotly.js from Dash's URL for the full 4.8 MB bundle, where web/static.py serves
// this one instead (`make` rebuilds it when this file or plotly-da.js changes). Keep in step with the plotly
// Python package's plotly.js version.
var Plotly = require('plotly.js/lib/core');  // includes scatter
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/heatmap'),
  require('plotly.js/lib/box'),
  require('./plotly-da'),   // Danish texts and the app's modebar buttons
]);
Plotly.setPlotConfig({locale: 'da'});
window.Plotly = Plotly;
