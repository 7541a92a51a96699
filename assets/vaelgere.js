/* Typing always searches in a picker (dcc.Dropdown), and no letter is lost on the way.
   - Dash 4 opens a picker that has a value with the focus on the chosen option, where a typed letter does nothing;
     here a letter typed anywhere in an open picker's list, on its button, or where the focus fell out of the list
     (the page's body), moves the focus to its search field first, so the letter lands there and the list narrows.
   - A letter typed on a picker that a click is opening, before its list is drawn (a busy machine draws it later),
     is held until the list's search field exists, then given to it in order, as typing would (React's own value
     setter and an `input` event, so the search runs). Its key's release is kept from Dash, which would otherwise add
     the letter a second time, or lose it when the focus has moved to the search by then. Held letters are dropped
     on another click, on Escape or Tab, and when the list turns out to have no search field (searchable=False).
     Typing on a closed picker is left to Dash, which opens it.
   Space is left to the options (it chooses one), and so are keys with Ctrl, Alt or Cmd.
   Reads key presses, clicks and the pickers' elements; writes the focus and the search field's value. */
(function () {
    'use strict';
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    let opening = null;            // the picker a click is opening, until its list is drawn
    let held = '';                 // letters typed on it before then, in order
    const releases = new Set();    // the keys whose release Dash must not see

    const openList = function () { return document.querySelector('.dash-dropdown-content'); };

    // Once the list of the picker being opened is drawn: give the held letters to its search field (or drop them).
    const giveHeld = function () {
        const list = opening && openList();
        if (!list) { return; }
        opening = null;
        if (!held) { return; }
        const search = list.querySelector('input.dash-dropdown-search');
        if (search) {
            search.focus();
            setValue.call(search, search.value + held);
            search.dispatchEvent(new Event('input', {bubbles: true}));
        }
        held = '';
    };
    new MutationObserver(giveHeld).observe(document.documentElement, {childList: true, subtree: true});

    const isLetter = function (event) {
        return event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.altKey && !event.metaKey;
    };

    document.addEventListener('keydown', function (event) {
        if (['Escape', 'Tab'].includes(event.key)) { held = ''; opening = null; }
        if (!isLetter(event) || !event.target.closest) { return; }
        giveHeld();
        // The open list, from inside it, from its picker's own button, which keeps the focus for a moment after the
        // click that opened it (the list is drawn apart from the button, and only one is open at a time), or from
        // the page's body, where the focus falls when the focused option is filtered away.
        const picker = event.target.closest('.dash-dropdown-wrapper');
        const list = event.target.closest('.dash-dropdown-content')
            || ((picker || event.target === document.body) && openList());
        const search = list && list.querySelector('input.dash-dropdown-search');
        if (search) {
            if (event.target !== search) { search.focus(); }
            return;
        }
        if (!picker || list || picker !== opening) { return; }
        event.preventDefault();
        held += event.key;
        releases.add(event.key);
    }, true);

    document.addEventListener('keyup', function (event) {
        if (event.isTrusted && releases.delete(event.key)) { event.stopPropagation(); }
    }, true);

    document.addEventListener('pointerdown', function () { held = ''; opening = null; }, true);
    // Before Dash sees it: a click on a closed picker's button opens that picker.
    document.addEventListener('click', function (event) {
        const button = event.target.closest && event.target.closest('button.dash-dropdown');
        if (button && button.getAttribute('aria-expanded') !== 'true') {
            opening = button.closest('.dash-dropdown-wrapper');
        }
    }, true);
})();
