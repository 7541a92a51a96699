/* Tables sorted by a click on a column's header (table.sorterbar, whose headers hold a button.sorter; the comparison
   matrix's "Tabel" view, kdk.export.matrice, is one). A first click sorts the rows ascending by the column, the next
   descending, and so on; the header says how in `aria-sort` (screen readers read it in their own language) and in
   its button's title, in the page's language (window.kdkSprog.tekst, assets/sprog.js). A cell's number is its
   `data-vaerdi`, so numbers sort as numbers whatever their formatting; a column without any is sorted as text in
   the page's language. A cell without a value (a number column's cell without `data-vaerdi`, or an empty one) goes
   last in either direction; equal cells keep their order. Rows move whole, with their classes (a marked row stays
   marked). Reads the clicked table; writes its rows' order and its headers' aria-sort and titles. */
(function () {
    'use strict';

    function sorter(th, direction) {
        const table = th.closest('table');
        const column = Array.prototype.indexOf.call(th.parentElement.cells, th);
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const numbers = rows.some(function (row) { return row.cells[column].hasAttribute('data-vaerdi'); });
        const collator = new Intl.Collator(document.documentElement.lang || 'da');
        const value = function (cell) {
            if (numbers) { return cell.hasAttribute('data-vaerdi') ? Number(cell.dataset.vaerdi) : null; }
            return cell.textContent.trim() || null;
        };
        const compare = numbers ? function (a, b) { return a - b; } : collator.compare;
        const sign = direction === 'ascending' ? 1 : -1;
        rows.map(function (row, i) { return {row: row, i: i, v: value(row.cells[column])}; })
            .sort(function (a, b) {
                if (a.v === null || b.v === null) { return (a.v === null) - (b.v === null) || a.i - b.i; }
                return sign * compare(a.v, b.v) || a.i - b.i;
            })
            .forEach(function (entry) { body.appendChild(entry.row); });
        th.parentElement.querySelectorAll('th').forEach(function (header) {
            const button = header.querySelector('button.sorter');
            if (!button) { return; }
            if (!button.dataset.titel) { button.dataset.titel = button.title; }
            header.removeAttribute('aria-sort');
            button.title = button.dataset.titel;
        });
        th.setAttribute('aria-sort', direction);
        th.querySelector('button.sorter').title = window.kdkSprog.tekst(
            direction === 'ascending' ? 'sorteretStigende' : 'sorteretFaldende');
    }

    document.addEventListener('click', function (event) {
        const button = event.target.closest && event.target.closest('table.sorterbar thead button.sorter');
        if (!button) { return; }
        const th = button.closest('th');
        sorter(th, th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending');
    });
}());
