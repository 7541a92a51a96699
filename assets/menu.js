/* The header's menu on a narrow screen (components/shell.py, assets/style.css): the button "Menu" opens and closes
   the links, and choosing one closes it. Reads and writes the header's `aaben` class and the button's
   aria-expanded. */
(function () {
    'use strict';
    function toggle(header, open) {
        header.classList.toggle('aaben', open);
        header.querySelector('.menu-knap').setAttribute('aria-expanded', String(open));
    }
    document.addEventListener('click', function (event) {
        const header = event.target.closest && event.target.closest('.topbar');
        if (!header) { return; }
        if (event.target.closest('.menu-knap')) {
            toggle(header, !header.classList.contains('aaben'));
        } else if (event.target.closest('.hovedmenu a, .hovedmenu button')) {
            toggle(header, false);
        }
    });
})();
