/* Følg oplægsholderen (web/foelg.py), in the browser. Dash loads this on every page; the viewers' entry page
   (/foelg/<kode>) loads it too. No inline script: the CSP forbids them.

   - The viewers' entry page: remember the code for this tab (sessionStorage) and open the host's page.
   - A viewer's tab that remembers a code: show the banner "Du følger <kode> · Stop med at følge" and poll the
     session's state every second (the browser revalidates it with its ETag: a 304 while nothing changed); at a new
     version, open its address, through Dash's own client routing when it is a Dash page. A 403 (signed in) or 404
     (stopped, expired) ends the following with the server's message.
   - A host's page (the shell's "Følg mig" link): if the host has a running session, show its code on the link and
     report the page's address (path and query: the page, its choices and presentation step) whenever it changes.

   Languages: a viewer follows in the language of the page it is on (<html lang>): on an English page it polls
   /en/foelg/<kode>/tilstand, which gives the host's address under /en, whatever language the host uses. The banner's
   three texts are the one text this script writes itself (it is added to any page, whose shell is not the server's
   to fill with it), so they are kept here in both languages, TEKSTER; every other text comes from the server. */
(function () {
    'use strict';
    const NOEGLE = 'kdk.foelger';
    const KODE = /^[A-HJKMNP-Z2-9]{6}$/;   // kdk/auth/foelg.py ALFABET
    const POLL_MS = 1000;      // a viewer asks for the state this often
    const TJEK_MS = 250;       // a host's page checks its own address this often
    const FIND_VAERT = 60;     // checks (of TJEK_MS) for the shell's "Følg mig" link before giving up
    const TEKSTER = {
        da: {foelger: 'Du følger ', stop: 'Stop med at følge', luk: 'Luk', slut: 'Visningen er slut.'},
        en: {foelger: 'You are following ', stop: 'Stop following', luk: 'Close', slut: 'The session has ended.'}
    };
    const ENGELSK = document.documentElement.lang === 'en';
    const TEKST = ENGELSK ? TEKSTER.en : TEKSTER.da;

    function her() { return window.location.pathname + window.location.search; }

    /* Open `adresse` as a click on a Dash link would (no reload), or load it where there is no Dash page. */
    function aaben(adresse) {
        if (adresse === her()) { return; }
        if (document.getElementById('react-entry-point')) {
            window.history.pushState({}, '', adresse);
            window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
            window.scrollTo(0, 0);
        } else {
            window.location.assign(adresse);
        }
    }

    function banner(kode) {
        const boks = document.createElement('div');
        boks.className = 'foelg-banner';
        boks.setAttribute('role', 'status');
        const tekst = document.createElement('span');
        tekst.textContent = TEKST.foelger + kode;
        const stop = document.createElement('button');
        stop.type = 'button';
        stop.textContent = TEKST.stop;
        stop.addEventListener('click', function () {
            window.sessionStorage.removeItem(NOEGLE);
            boks.remove();
        });
        boks.append(tekst, ' · ', stop);
        document.body.append(boks);
        return {
            slut: function (besked) {
                window.sessionStorage.removeItem(NOEGLE);
                tekst.textContent = besked;
                stop.textContent = TEKST.luk;
            }
        };
    }

    function foelg(kode) {
        const vist = banner(kode);
        let version = null;
        async function spoerg() {
            if (window.sessionStorage.getItem(NOEGLE) !== kode) { return; }   // stopped by the viewer
            try {
                const svar = await fetch((ENGELSK ? '/en' : '') + '/foelg/' + kode + '/tilstand',
                                         {headers: {Accept: 'application/json'}});
                const tilstand = await svar.json();
                if (svar.status === 403 || svar.status === 404) {
                    vist.slut(tilstand.fejl || TEKST.slut);
                    return;
                }
                if (svar.ok && tilstand.version !== version) {
                    version = tilstand.version;
                    aaben(tilstand.adresse);
                }
            } catch (fejl) {
                /* the network or the server hiccupped: ask again at the next poll */
            }
            window.setTimeout(spoerg, POLL_MS);
        }
        spoerg();
    }

    async function vaert(link) {
        const svar = await fetch('/foelg/vaert', {cache: 'no-store'});
        if (svar.status !== 200) { return; }
        const session = await svar.json();
        const navn = link.textContent;   // "Følg mig", in the page's language
        link.textContent = navn + ' · ' + session.kode;
        let meldt = null;
        async function meld() {
            const adresse = her();
            if (adresse !== meldt) {
                meldt = adresse;
                const svar = await fetch('/foelg/' + session.kode + '/tilstand', {
                    method: 'POST', body: JSON.stringify({adresse: adresse}),
                    headers: {'Content-Type': 'application/json', 'X-CSRFToken': session.csrf}
                });
                if (svar.status === 403 || svar.status === 404) { link.textContent = navn; return; }   // stopped
            }
            window.setTimeout(meld, TJEK_MS);
        }
        meld();
    }

    function findVaert(tilbage) {
        const link = document.querySelector('.foelg-mig');
        if (link) {
            vaert(link);
        } else if (tilbage > 0) {
            window.setTimeout(function () { findVaert(tilbage - 1); }, TJEK_MS);
        }
    }

    function begynd() {
        const start = document.getElementById('foelg-start');
        if (start && KODE.test(start.dataset.kode)) {
            window.sessionStorage.setItem(NOEGLE, start.dataset.kode);
            window.location.replace(start.dataset.adresse);
            return;
        }
        const kode = window.sessionStorage.getItem(NOEGLE);
        if (kode && KODE.test(kode)) {
            foelg(kode);
        } else {
            findVaert(FIND_VAERT);
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', begynd);
    } else {
        begynd();
    }
}());
