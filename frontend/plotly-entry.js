// Plotly with only the trace types the app uses. dcc.Graph finds window.Plotly and then skips
// loading the full 4.8 MB bundle. Keep in step with the plotly Python package's plotly.js version.
var Plotly = require('plotly.js/lib/core');  // includes scatter
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/heatmap'),
  require('plotly.js/lib/box'),
  require('plotly.js/lib/locales/da'),
]);
Plotly.setPlotConfig({locale: 'da'});
window.Plotly = Plotly;
