/* The language switch in the header (components/shell.py `sprogskift`): the same page, with the same values and
   step, in the other language. The shell is one for every page (Dash changes the address without a request), so
   the link's address is made from the browser's address when it is about to be followed: pointed at, focused or
   clicked. The English pages live under /en (kdk/sprog.py); without script the link opens the other front page.

   For the other scripts, `window.kdkSprog` (used when they act, so the order the scripts load in does not matter):
   `sti(path)` a path without its language prefix, `adresse(path)` an address on this site in the page's language
   (under /en on an English page, as kdk/sprog.py `adresse`), and `tekst(navn)` a text the server drew in the page's
   language for the scripts (components/shell.py `skripttekster`). The page's language is its <html lang>.

   And a net under them all: on an English page, an address the page moves to without a load (history.pushState or
   replaceState, as Dash's `nav` Location uses them for a callback's or a script's address) is given in English by
   `adresse`, so a Danish address made anywhere cannot lead an English reader to the Danish page. */
(function () {
    function english() { return document.documentElement.lang === 'en'; }
    function sti(path) {
        return path === '/en' || path.indexOf('/en/') === 0 ? (path.slice(3) || '/') : path;
    }
    function other(link) {
        var bare = sti(window.location.pathname);
        var target = link.getAttribute('hreflang') === 'en' ? '/en' + (bare === '/' ? '/' : bare) : bare;
        return target + window.location.search + window.location.hash;
    }
    function update(event) {
        var link = event.target.closest && event.target.closest('a.sprogskift');
        if (link) { link.setAttribute('href', other(link)); }
    }
    window.kdkSprog = {
        sti: sti,
        adresse: function (path) {
            var bare = sti(path);
            if (!english() || bare.indexOf('/') !== 0 || bare.indexOf('//') === 0
                || /^\/(assets|_dash|_reload|_favicon|api)\//.test(bare)) { return path; }
            return '/en' + (bare === '/' ? '/' : bare);
        },
        tekst: function (navn) {
            var texts = document.getElementById('skripttekster');
            return (texts && texts.dataset[navn]) || '';
        }
    };
    ['mouseover', 'focusin', 'click', 'touchstart'].forEach(function (type) {
        document.addEventListener(type, update, true);
    });
    ['pushState', 'replaceState'].forEach(function (name) {
        var original = window.history[name];
        window.history[name] = function (state, title, url) {
            return original.call(window.history, state, title,
                                 typeof url === 'string' ? window.kdkSprog.adresse(url) : url);
        };
    });
})();
