/* "Min kommune": the visitor's own municipality, chosen once on a profile ("Gør til min kommune") or with the front
   page's picker, and kept in this browser's local storage by the header's `min-kommune` Store (components/shell.py)
   as {kode, navn}. It is a preference of this browser only: never sent to the server (no cookie), so the pages the
   server keeps (docs/architecture.md, "Caching") stay the same for every visitor. The header links to it and offers
   it as its search's first option, the front page starts from it (or invites choosing one), and a theme or the
   comparison page without a municipality in its address opens for it. Reads and writes only that Store and the
   header search's options (and, to open a page for it, the address through history.replaceState). Its links lead
   to pages in the page's language, and its texts are the server's in that language (window.kdkSprog,
   assets/sprog.js; the profile button's own in its data- attributes, pages/kommune.py). */
(function () {
    'use strict';
    const none = () => window.dash_clientside.no_update;

    /* The stored choice, or null when there is none or it is not one this script wrote. */
    function mine(data) {
        return data && typeof data.kode === 'string' && /^\d{3}$/.test(data.kode) && typeof data.navn === 'string'
            ? data : null;
    }

    function profile(data) { return '/kommune/' + encodeURIComponent(data.kode); }   // in Danish, as options hold it
    function link(path) { return window.kdkSprog.adresse(path); }
    function named(data) { return window.kdkSprog.tekst('minKommuneNavn').replace('{navn}', data.navn); }

    /* Show the current address with `kommune` set, without a history entry: the back button must not lead to an
       address that opens the municipality again. Dash's Location follows the event as it follows its own links. */
    function openFor(kode) {
        const params = new URLSearchParams(window.location.search);
        params.set('kommune', kode);
        window.history.replaceState(window.history.state, '',
                                    window.location.pathname + '?' + params.toString() + window.location.hash);
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        minkommune: {
            /* The header's link: hidden without a choice, else the municipality's name (and tooltip) to its profile. */
            header: function (data) {
                const chosen = mine(data);
                if (!chosen) { return [true, link('/'), '', window.kdkSprog.tekst('minKommune')]; }
                return [false, link(profile(chosen)), chosen.navn, named(chosen)];
            },
            /* The profile's button: choose the shown municipality, or forget it when it is already the choice. */
            choose: function (clicks, shown, data) {
                if (!clicks || !shown || typeof shown.kode !== 'string') { return none(); }
                const chosen = mine(data);
                return chosen && chosen.kode === shown.kode ? null : {kode: shown.kode, navn: shown.navn};
            },
            /* The profile button's text and pressed state, for the shown municipality. */
            button: function (data, shown) {
                const chosen = mine(data);
                const is = Boolean(chosen && shown && chosen.kode === shown.kode);
                const texts = document.getElementById('profil-min-kommune').dataset;
                return [is ? texts.glem : texts.vaelg, String(is)];
            },
            /* The header search's options (`options`, as the server drew them or this last left them): the chosen
               municipality first, labelled "Min kommune: <navn>" and found as it is, its value the profile's
               address (assets/navigation.js opens it in the page's language). */
            headerOptions: function (data, options) {
                const chosen = mine(data);
                const rest = (options || []).filter(function (o) { return !String(o.value).startsWith('/kommune/'); });
                if (!chosen) { return rest.length === (options || []).length ? none() : rest; }
                const own = rest.find(function (o) { return o.value === chosen.kode; });
                const label = named(chosen);
                return [{label: label, value: profile(chosen),
                         search: (label + ' ' + (own && own.search ? own.search : '')).toLowerCase().trim()}]
                    .concat(rest);
            },
            /* The front page's box: hidden without a choice, else links to the municipality's pages; and the
               invitation to choose one, shown only without a choice. */
            frontPage: function (data) {
                const chosen = mine(data);
                if (!chosen) { return [true, '', link('/'), link('/sammenligning'), false]; }
                return [false, chosen.navn, link(profile(chosen)),
                        link('/sammenligning?kommune=' + encodeURIComponent(chosen.kode)), true];
            },
            /* The front page's picker: choose the municipality picked (`options`: the picker's, "Aarhus (751)"). */
            pick: function (kode, options) {
                const option = (options || []).find(function (o) { return o.value === kode; });
                if (!option) { return none(); }
                return {kode: kode, navn: String(option.label).replace(/\s*\(\d{3}\)$/, '')};
            },
            /* Forget the choice (the front page's "Glem"). */
            forget: function (clicks) { return clicks ? null : none(); },
            /* A theme or the comparison page drawn without a municipality: open it for the chosen one, except in a
               tab that follows a host (assets/foelg.js), which shows exactly the host's page. */
            standard: function (context, data) {
                const chosen = mine(data);
                const following = Boolean(window.sessionStorage.getItem('kdk.foelger'));
                if (chosen && context && !context.kommune && !following) { openFor(chosen.kode); }
                return none();
            }
        }
    });
})();
