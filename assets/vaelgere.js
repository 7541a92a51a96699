/* Typing always searches in a picker (dcc.Dropdown), and no letter is lost on the way.
   - Dash 4 opens a picker that has a value with the focus on the chosen option, where a typed letter does nothing;
     here a letter typed anywhere in an open picker's list, on its button, or where the focus fell out of the list
     (the page's body), moves the focus to its search field first, so the letter lands there and the list narrows.
   - A letter typed on a picker before its list is drawn (a click opens it, a busy machine draws it later) is held
     until the list's search field exists, then given to it in order, as typing would (React's own value setter and
     an `input` event, so the search runs); the picker is opened if it is not. Its key's release is kept from Dash,
     which would otherwise add the letter a second time, or lose it when the focus has moved to the search by then.
     Held letters are dropped on a click anywhere, on Escape or Tab, and when the list turns out to have no search.
   Space is left to the options (it chooses one), and so are keys with Ctrl, Alt or Cmd.
   Reads key presses, clicks and the pickers' elements; writes the focus and the search field's value. */
(function () {
    'use strict';
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    let held = '';                 // letters typed before the list was drawn, in order
    const releases = new Set();    // the keys whose release Dash must not see

    const openList = function () { return document.querySelector('.dash-dropdown-content'); };

    // Give the held letters to the open list's search field, once it exists (drop them if the list has none).
    const giveHeld = function () {
        const list = held && openList();
        if (!list) { return; }
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
        if (['Escape', 'Tab'].includes(event.key)) { held = ''; }
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
        const button = picker && !list && picker.querySelector('button.dash-dropdown');
        if (!button) { return; }
        event.preventDefault();
        held += event.key;
        releases.add(event.key);
        // Opens the list, or keeps it open (Dash's own key for it; a click would close a list drawn late).
        button.dispatchEvent(new KeyboardEvent('keyup', {key: 'ArrowDown', bubbles: true}));
    }, true);

    document.addEventListener('keyup', function (event) {
        if (event.isTrusted && releases.delete(event.key)) { event.stopPropagation(); }
    }, true);

    document.addEventListener('pointerdown', function () { held = ''; }, true);
})();
