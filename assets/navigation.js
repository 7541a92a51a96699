/* Navigation that needs no server: a control's new value becomes the page's new address, which Dash's `nav`
   Location (refresh="callback-nav") then renders without a reload. A browser round trip per choice is saved, and
   the page's own render, which calls these with the values it was drawn with, costs nothing: they answer
   no_update when nothing changed. The addresses are built as the pages build theirs (pages/kommune.py `href`), in
   the page's language (under /en on an English page: window.kdkSprog, assets/sprog.js); tests/test_browser.py and
   tests/test_sprog_profil_browser.py check them. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    kdk: {
        /* "You are here": the class of each header link (`aktiv` on the current section's), and aria-current="page"
           on it, which Dash's Link cannot carry as a property. `sections`: each link's path and the paths that begin
           its section's pages (components/shell.py), without the language prefix, which the address and the links'
           own addresses carry on an English page; the longest match wins, "/" only on the front page. */
        currentSection: function (pathname, sections) {
            const outputs = window.dash_clientside.callback_context.outputs_list;
            const path = window.kdkSprog.sti(typeof pathname === 'string' ? pathname : window.location.pathname);
            const within = (start) => path === start || (start !== '/' && path.startsWith(start.replace(/\/?$/, '/')));
            let current = null, longest = 0;
            for (const [link, starts] of Object.entries(sections || {})) {
                for (const start of starts) {
                    if (within(start) && start.length > longest) { current = link; longest = start.length; }
                }
            }
            for (const link of document.querySelectorAll('.hovednav a')) {
                if (window.kdkSprog.sti(link.getAttribute('href')) === current) {
                    link.setAttribute('aria-current', 'page');
                }
                else { link.removeAttribute('aria-current'); }
            }
            return outputs.map((o) => 'nav-link' + (o.id.sti === current ? ' aktiv' : ''));
        },
        /* The header's picker: a municipality's profile, or a key figure's page or "min kommune"'s profile (whose
           address is the option's value, components/vaelgere.py `soeg_options`, assets/minkommune.js). */
        municipality: function (kode) {
            if (typeof kode !== 'string' || !kode) { return window.dash_clientside.no_update; }
            if (/^\/(noegletal|kommune)\//.test(kode)) { return window.kdkSprog.adresse(kode); }
            return window.kdkSprog.adresse('/kommune/' + encodeURIComponent(kode));
        },
        /* The profile's year picker ('' = each figure's latest year): the same view in that year. */
        profileYear: function (aar, shown) {
            if (!shown || typeof aar !== 'string' || (aar || null) === (shown.aar || null)) {
                return window.dash_clientside.no_update;
            }
            const query = new URLSearchParams();
            if (shown.omraade) { query.set('omraade', shown.omraade); }
            if (aar) { query.set('aar', aar); }
            if (/^\d+$/.test(shown.side || '') && shown.side !== '1') { query.set('side', shown.side); }
            const search = query.toString();
            return window.kdkSprog.adresse('/kommune/' + encodeURIComponent(String(shown.kode || ''))
                                           + (search ? '?' + search : ''));
        },
        /* A theme's municipality picker: the theme for that municipality. */
        themeMunicipality: function (kommune, shown) {
            if (!shown || typeof kommune !== 'string' || !kommune || kommune === shown.kommune) {
                return window.dash_clientside.no_update;
            }
            return window.kdkSprog.adresse('/tema/' + encodeURIComponent(String(shown.slug || '')) + '?kommune='
                                           + encodeURIComponent(kommune));
        }
    }
});
