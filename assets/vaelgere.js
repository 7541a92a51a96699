/* Typing always searches in a picker (dcc.Dropdown). Dash 4 opens a picker that has a value with the focus on the
   chosen option, where a typed letter does nothing; here a letter typed anywhere in an open picker's list, or on its
   button before the focus has moved into the list, moves the focus to its search field first, so the letter lands
   there and the list narrows as the user types. Space is left to the options (it chooses one), and so are keys
   with Ctrl, Alt or Cmd. Reads key presses; writes only the focus. */
(function () {
    'use strict';
    document.addEventListener('keydown', function (event) {
        if (event.key.length !== 1 || event.key === ' ' || event.ctrlKey || event.altKey || event.metaKey) { return; }
        if (!event.target.closest) { return; }
        // The open list, from inside it, or from its picker's own button, which keeps the focus for a moment after
        // the click that opened it (the list is drawn apart from the button, and only one is open at a time).
        const list = event.target.closest('.dash-dropdown-content')
            || (event.target.closest('.dash-dropdown') && document.querySelector('.dash-dropdown-content'));
        const search = list && list.querySelector('input.dash-dropdown-search');
        if (search && event.target !== search) { search.focus(); }
    }, true);
})();
