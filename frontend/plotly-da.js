// Danish for the slim Plotly bundle (plotly-entry.js): the 'da' locale with plotly.js's own Danish date formats and
// a dictionary for the texts a reader can meet (plotly.js ships 'da' with an empty one), and the app's three modebar
// buttons, which charts.CONFIG names in `modeBarButtons`: download as PNG, download as SVG, and full screen (the
// chart's <figure> through the Fullscreen API; plotly has no such button). Added to plotly's own table of buttons,
// so a config of plain names (JSON from Python) can use them. The buttons' titles are English, as plotly.js's own
// texts are, and translated by the chart's locale (charts.CONFIG: 'da' on a Danish page, plotly's English on an
// English one).
var buttons = require('plotly.js/src/components/modebar/buttons');
var Icons = require('plotly.js/src/fonts/ploticon');
var localize = require('plotly.js/src/lib/localize');
var da = require('plotly.js/lib/locales/da');

function download(format) {
  return {
    name: 'hent' + format,
    title: function (gd) { return localize(gd, 'Download image (' + format.toUpperCase() + ')'); },
    icon: Icons.camera,
    click: function (gd) {
      var title = (gd.layout.title && gd.layout.title.text) || 'diagram';
      window.Plotly.downloadImage(gd, Object.assign({filename: title}, gd._context.toImageButtonOptions,
                                                    {format: format}));
    }
  };
}

buttons.hentPng = download('png');
buttons.hentSvg = download('svg');
buttons.fuldSkaerm = {
  name: 'fuldSkaerm',
  title: function (gd) { return localize(gd, 'Full screen (press Esc to close)'); },
  icon: {width: 24, height: 24, path: 'M3 3h7v2H5v5H3V3zm11 0h7v7h-2V5h-5V3zM3 14h2v5h5v2H3v-7zm16 0h2v7h-7v-2h5v-5z'},
  click: function (gd) {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      (gd.closest('figure') || gd).requestFullscreen();
    }
  }
};

module.exports = {
  moduleType: 'locale',
  name: 'da',
  format: da.format,
  dictionary: {
    'Autoscale': 'Tilpas akser',
    'Box Select': 'Vælg med kasse',
    'Click to enter Colorscale title': 'Klik for at skrive farveskalaens titel',
    'Click to enter Plot title': 'Klik for at skrive diagrammets titel',
    'Click to enter X axis title': 'Klik for at skrive x-aksens titel',
    'Click to enter Y axis title': 'Klik for at skrive y-aksens titel',
    'Compare data on hover': 'Sammenlign data ved peger',
    'Double-click on legend to isolate one trace': 'Dobbeltklik på forklaringen for at vise én serie',
    'Double-click to zoom back out': 'Dobbeltklik for at zoome ud igen',
    'Download plot': 'Hent billede',
    'Download plot as a PNG': 'Hent billede (PNG)',
    'Download image (PNG)': 'Hent billede (PNG)',
    'Download image (SVG)': 'Hent billede (SVG)',
    'Full screen (press Esc to close)': 'Fuld skærm (tryk Esc for at lukke)',
    'Image download succeeded': 'Billedet er hentet',
    'Lasso Select': 'Vælg med lasso',
    'Pan': 'Panorér',
    'Preparing image - this may take a few seconds': 'Billedet laves, det kan tage et par sekunder',
    'Reset': 'Nulstil',
    'Reset axes': 'Nulstil akser',
    'Reset view': 'Nulstil visning',
    'Show closest data on hover': 'Vis nærmeste data ved peger',
    'Snapshot succeeded': 'Billedet er taget',
    'Sorry, there was a problem downloading your image!': 'Billedet kunne desværre ikke hentes',
    'Toggle Spike Lines': 'Vis eller skjul hjælpelinjer',
    'Zoom': 'Zoom',
    'Zoom in': 'Zoom ind',
    'Zoom out': 'Zoom ud',
    'max': 'maks.',
    'mean': 'gennemsnit',
    'median': 'median',
    'min': 'min.',
    'lower fence': 'nedre grænse',
    'upper fence': 'øvre grænse',
    'q1': '1. kvartil',
    'q3': '3. kvartil',
    'new text': 'ny tekst'
  }
};
