// Optional enhancement: sort and filter the index tables. Without JavaScript the tables are complete.
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? (cell.getAttribute("data-sort") || cell.textContent).trim() : "";
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a && String(y) === b) { return x - y; }
    return a.localeCompare(b, "zh-CN");
  }
  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(cellValue(r1, index), cellValue(r2, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function addFilter(table, number) {
    var wrap = table.parentNode;
    var label = document.createElement("label");
    var id = "table-filter-" + number;
    label.className = "table-filter";
    label.setAttribute("for", id);
    label.textContent = "筛选：";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.placeholder = "输入名称、单位、级别、平台或结果";
    var p = document.createElement("p");
    p.className = "table-filter";
    p.appendChild(label);
    p.appendChild(input);
    wrap.parentNode.insertBefore(p, wrap);
    input.addEventListener("input", function () {
      var words = input.value.trim().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent;
        row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table, number) {
    makeSortable(table);
    addFilter(table, number);
  });
}());
