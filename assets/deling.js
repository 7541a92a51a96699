/* Sharing (issue 22): the header's Del button and an embedded chart.

   Del (components/shell.py) copies the page's address with the Clipboard API and says so in the header's live
   region ("Adressen er kopieret"); a panel beside it shows the address in a text field, selected when the browser
   may not copy. On a key figure's page (/noegletal/<id>) whose charts may be embedded (the embed route answers),
   the panel also gives the <iframe> snippet for each of its charts (web/indlejr.py).
   Under every chart, "Indlejr" (components/hent.py) gives the <iframe> snippet of that chart as this page shows it:
   its embed's address (`data-indlejr`) followed by the page's own; the field opens under the chart, the snippet is
   copied where the browser may, and the live region says so. A chart the public may not see has no embed: the
   button says so instead.
   An embed page (/indlejr/...) holds its figure as JSON; it is drawn here with the app's Plotly.
   On an English page every text is the server's English (`tekst`) and every embed is the English one, under /en
   (window.kdkSprog, assets/sprog.js). */
(function () {
  "use strict";

  var ARTER = ["udvikling", "rangering", "kort"];   // named by the texts artUdvikling, artRangering, artKort

  function tekst(navn) { return window.kdkSprog.tekst(navn); }

  function adresse(path) { return window.kdkSprog.adresse(path); }

  function drawEmbed() {
    var data = document.getElementById("indlejret-figur");
    if (!data || !window.Plotly) { return; }
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot("indlejret-graf", figure.data, figure.layout, figure.config);
  }

  function say(text) {
    var live = document.querySelector(".del-besked");
    if (!live) { return; }
    live.textContent = "";   // the same text again is announced again
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function field(label, value, multiline) {
    var wrap = document.createElement("label");
    wrap.className = "del-felt";
    wrap.appendChild(document.createTextNode(label));
    var input = document.createElement(multiline ? "textarea" : "input");
    input.readOnly = true;
    input.value = value;
    if (multiline) { input.rows = 4; }
    input.addEventListener("focus", function () { input.select(); });
    wrap.appendChild(input);
    return wrap;
  }

  function snippet(id, art) {
    var aar = new URLSearchParams(window.location.search).get("aar");
    var src = window.location.origin + adresse("/indlejr/" + encodeURIComponent(id) + "/" + art) +
      (aar && art !== "udvikling" ? "?aar=" + encodeURIComponent(aar) : "");
    var heading = document.querySelector("main h1");
    return iframe(src, (heading ? heading.textContent : tekst("noegletal")) + " – Kend din kommune");
  }

  function iframe(src, title) {
    return '<iframe src="' + src + '" title="' + title.replace(/&/g, "&amp;").replace(/"/g, "&quot;") +
      '" width="100%" height="560" style="border:0" loading="lazy"></iframe>';
  }

  function copy(text, input, done, marked) {
    var copied = navigator.clipboard && window.isSecureContext ?
      navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"));
    copied.then(function () { say(done); }, function () {
      input.focus();
      input.select();
      say(marked);
    });
  }

  function embedChart(button) {
    var figure = button.closest("figure");
    var open = figure.querySelector(".indlejr-felt");
    if (open) {   // a second press closes the field
      open.remove();
      button.setAttribute("aria-expanded", "false");
      return;
    }
    var src = window.location.origin +
      adresse(button.getAttribute("data-indlejr") + window.kdkSprog.sti(window.location.pathname)) +
      window.location.search;
    var named = document.getElementById(figure.getAttribute("aria-labelledby"));
    var title = (named ? named.textContent : tekst("diagram")) + " – Kend din kommune";
    fetch(src, {method: "HEAD"}).then(function (answer) {
      if (!answer.ok) {
        say(tekst("ikkeOffentligt"));
        return;
      }
      var wrap = field(tekst("indlejrFelt"), iframe(src, title), true);
      wrap.classList.add("indlejr-felt");
      figure.appendChild(wrap);
      button.setAttribute("aria-expanded", "true");
      copy(wrap.querySelector("textarea").value, wrap.querySelector("textarea"), tekst("kodeKopieret"),
        tekst("kodeMarkeret"));
    }, function () { say(tekst("ikkeNu")); });
  }

  function embedOptions(panel) {
    var match = window.kdkSprog.sti(window.location.pathname).match(/^\/noegletal\/([^/]+)\/?$/);
    if (!match) { return; }
    var id = decodeURIComponent(match[1]);
    fetch(adresse("/indlejr/" + encodeURIComponent(id) + "/udvikling"), {method: "HEAD"}).then(function (answer) {
      if (!answer.ok || panel.hidden) { return; }   // not public: no embed
      var section = document.createElement("section");
      section.className = "del-indlejr";
      var heading = document.createElement("h2");
      heading.textContent = tekst("indlejrOverskrift");
      section.appendChild(heading);
      ARTER.forEach(function (art) {
        section.appendChild(field(tekst("art" + art.charAt(0).toUpperCase() + art.slice(1)), snippet(id, art), true));
      });
      panel.appendChild(section);
    });
  }

  function panelFor(button) {
    var panel = document.getElementById("del-panel");
    if (!panel) {
      panel = document.createElement("div");
      panel.id = "del-panel";
      panel.className = "del-panel";
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-label", tekst("delSiden"));
      button.setAttribute("aria-controls", "del-panel");
      document.body.appendChild(panel);
    }
    panel.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "del-luk";
    close.textContent = tekst("luk");
    close.addEventListener("click", function () { hide(button); });
    panel.appendChild(close);
    return panel;
  }

  function hide(button) {
    var panel = document.getElementById("del-panel");
    if (panel) { panel.hidden = true; }
    button.setAttribute("aria-expanded", "false");
  }

  function share(button) {
    var address = window.location.href;
    var panel = panelFor(button);
    var addressField = field(tekst("sidensAdresse"), address, false);
    panel.appendChild(addressField);
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    embedOptions(panel);
    copy(address, addressField.querySelector("input"), tekst("adresseKopieret"), tekst("adresseMarkeret"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".del-knap");
    if (button) { share(button); return; }
    var embed = event.target.closest && event.target.closest(".indlejr-knap");
    if (embed) { embedChart(embed); return; }
    var panel = document.getElementById("del-panel");
    if (panel && !panel.hidden && !panel.contains(event.target)) {
      hide(document.querySelector(".del-knap"));
    }
  });
  document.addEventListener("keydown", function (event) {
    var panel = document.getElementById("del-panel");
    if (event.key === "Escape" && panel && !panel.hidden) {
      var button = document.querySelector(".del-knap");
      hide(button);
      button.focus();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawEmbed);
  } else {
    drawEmbed();
  }
})();
