/* The language of the address (kdk/sprog.py: Danish at /, English under /en).

   - The language switch in the header (components/shell.py `sprogskift`): the same page, with the same values and
     step, in the other language. The shell is one for every page (Dash changes the address without a request), so
     the link's address is made from the browser's address when it is about to be followed: pointed at, focused or
     clicked. Without script the link opens the other language's front page.
   - On an English page, an address the page moves to without a load stays English: the scripts' (the pickers in
     assets/navigation.js, assets/minkommune.js) and the callbacks' (Dash's `nav` Location), which all go through
     history.pushState or replaceState, are given the /en prefix there as kdk/sprog.py `adresse` gives it. */
(function () {
    function english() {
        var path = window.location.pathname;
        return path === '/en' || path.indexOf('/en/') === 0;
    }
    function other(link) {
        var path = window.location.pathname;
        var bare = english() ? (path.slice(3) || '/') : path;
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

    /* `url` in English: a path on this site (not a file, Dash's own or the API's) under /en, once. */
    function inEnglish(url) {
        if (typeof url !== 'string' || url.charAt(0) !== '/' || url.charAt(1) === '/') { return url; }
        if (/^\/(en([/?#]|$)|api\/|assets\/|_dash|_reload|_favicon)/.test(url)) { return url; }
        return '/en' + url;
    }
    ['pushState', 'replaceState'].forEach(function (name) {
        var original = window.history[name];
        window.history[name] = function (state, title, url) {
            return original.call(window.history, state, title, english() ? inEnglish(url) : url);
        };
    });
})();
