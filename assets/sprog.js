/* The language switch in the header (components/shell.py `sprogskift`): the same page, with the same values and
   step, in the other language. The shell is one for every page (Dash changes the address without a request), so
   the link's address is made from the browser's address when it is about to be followed: pointed at, focused or
   clicked. The English pages live under /en (kdk/sprog.py); without script the link opens the other front page. */
(function () {
    function other(link) {
        var path = window.location.pathname;
        var english = path === '/en' || path.indexOf('/en/') === 0;
        var bare = english ? (path.slice(3) || '/') : path;
        var target = link.getAttribute('hreflang') === 'en' ? '/en' + (bare === '/' ? '/' : bare) : bare;
        return target + window.location.search + window.location.hash;
    }
    function update(event) {
        var link = event.target.closest && event.target.closest('a.sprogskift');
        if (link) { link.setAttribute('href', other(link)); }
    }
    ['mouseover', 'focusin', 'click', 'touchstart'].forEach(function (type) {
        document.addEventListener(type, update, true);
    });
})();
