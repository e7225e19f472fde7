// Behaviour the templates used to write inline (the Content Security Policy allows scripts from this
// server's files only): a <select data-autosubmit> submits its form when changed.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});

// Rows of selects (common.fields.LevelRowsWidget: skills with a level, languages with CEFR levels):
// "Add" copies the blank row of the widget's <template>, "Remove" takes a row away. Without this
// script the form still works: it always shows one blank row, and "—" as the item removes a row.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-add-row], [data-remove-row]");
  if (!button) { return; }
  var widget = button.closest("[data-level-rows]");
  if (!widget) { return; }
  event.preventDefault();
  var body = widget.querySelector("[data-rows]");
  if (button.hasAttribute("data-add-row")) {
    var row = widget.querySelector("template[data-row-template]").content.firstElementChild.cloneNode(true);
    body.appendChild(row);
    row.querySelector("select").focus();
  } else {
    button.closest("tr").remove();
  }
  Array.prototype.forEach.call(body.rows, function (row, index) {
    Array.prototype.forEach.call(row.querySelectorAll("select"), function (select) {
      select.setAttribute("aria-label", select.getAttribute("aria-label").replace(/ \d+$/, "") + " " + (index + 1));
    });
  });
});

// A search box over a long multiple select (countries, themes): typing hides the options that do
// not match (case and accents ignored); chosen options stay chosen and in sight.
function dividendFold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-filter-select]")) { return; }
  var select = document.getElementById(box.getAttribute("data-filter-select"));
  if (!select) { return; }
  var words = dividendFold(box.value).split(/\s+/).filter(Boolean);
  Array.prototype.forEach.call(select.options, function (option) {
    var text = dividendFold(option.text);
    option.hidden = !option.selected && !words.every(function (word) { return text.indexOf(word) !== -1; });
  });
});
// Under the list, what is chosen (a chosen option may be scrolled or filtered out of sight).
function dividendShowChosen(select) {
  var wrap = select.closest(".searchable-select");
  if (!wrap) { return; }
  var line = wrap.querySelector(".chosen");
  if (!line) {
    line = document.createElement("p");
    line.className = "chosen muted";
    line.setAttribute("aria-live", "polite");
    wrap.appendChild(line);
  }
  var names = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
    .map(function (o) { return o.text; });
  line.textContent = names.length ? (wrap.getAttribute("data-chosen-label") || "") + " " + names.join(", ") : "";
}
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches(".searchable-select select")) { dividendShowChosen(event.target); }
});
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll(".searchable-select select"), dividendShowChosen);
});
// A suggestion (reports: a theme, a country, a city found in the text) is applied only when the user
// asks: <button data-accept-suggestion data-select="id_themes" data-value="7"> selects the option in
// that list; data-input="id_places" adds the value to that text field ("; "-separated).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-accept-suggestion]");
  if (!button) { return; }
  var value = button.getAttribute("data-value");
  var select = document.getElementById(button.getAttribute("data-select") || "");
  var input = document.getElementById(button.getAttribute("data-input") || "");
  if (select) {
    Array.prototype.forEach.call(select.options, function (o) { if (o.value === value) { o.selected = true; } });
    select.dispatchEvent(new Event("change", { bubbles: true }));
  } else if (input) {
    var parts = input.value.split(";").map(function (p) { return p.trim(); }).filter(Boolean);
    if (parts.map(dividendFold).indexOf(dividendFold(value)) === -1) { parts.push(value); }
    input.value = parts.join("; ");
  } else {
    return;
  }
  button.disabled = true;
  button.textContent = button.getAttribute("data-done-label") || button.textContent;
});
// <button data-suggest-url> (the report filing form, which loads no htmx) posts its form's title, body,
// mission and choices there and shows the suggestions it answers in #suggestions.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-suggest-url]");
  if (!button || !button.form) { return; }
  var data = new FormData(button.form);
  data.delete("attachments");
  fetch(button.getAttribute("data-suggest-url"), { method: "POST", body: data, credentials: "same-origin" })
    .then(function (answer) { return answer.text(); })
    .then(function (html) {
      var target = document.getElementById("suggestions");
      if (target) { target.outerHTML = html; }
    });
});
