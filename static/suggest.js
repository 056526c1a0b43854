/*
 * suggest.js - procedure suggestions under the search box, a progressive
 * enhancement: without JavaScript the form simply submits to /thu-tuc.
 *
 * Follows the WAI-ARIA 1.2 combobox pattern (an input with a listbox
 * popup): typing asks /api/v1/procedures?prefix=1 for the first matches
 * (after a short pause, the older request aborted), Up/Down move through
 * them, Enter opens the chosen procedure, Escape closes the list. The
 * result count is announced through a polite live region. Texts come from
 * data-* attributes the page renders in the visitor's language.
 */
(function () {
	"use strict";

	var MIN_CHARS = 2, DELAY_MS = 150, LIMIT = 8;

	function setup(form, n) {
		var input = form.querySelector("input[name=q]");
		if (!input || !window.fetch)
			return;
		var listId = "suggest-list-" + n;
		var list = document.createElement("ul");
		list.id = listId;
		list.className = "suggest";
		list.setAttribute("role", "listbox");
		list.setAttribute("aria-label", form.getAttribute("data-suggest-label") || "");
		list.hidden = true;
		var status = document.createElement("p");
		status.className = "visually-hidden";
		status.setAttribute("role", "status");
		status.setAttribute("aria-live", "polite");
		input.parentNode.appendChild(list);
		form.appendChild(status);

		input.setAttribute("role", "combobox");
		input.setAttribute("aria-autocomplete", "list");
		input.setAttribute("aria-expanded", "false");
		input.setAttribute("aria-controls", listId);

		var timer = null, pending = null, items = [], active = -1;

		function close() {
			list.hidden = true;
			list.textContent = "";
			items = [];
			active = -1;
			input.setAttribute("aria-expanded", "false");
			input.removeAttribute("aria-activedescendant");
		}

		function highlight(i) {
			if (active >= 0 && items[active])
				items[active].setAttribute("aria-selected", "false");
			active = i;
			if (active >= 0 && items[active]) {
				items[active].setAttribute("aria-selected", "true");
				input.setAttribute("aria-activedescendant", items[active].id);
				items[active].scrollIntoView({block: "nearest"});
			} else {
				input.removeAttribute("aria-activedescendant");
			}
		}

		function open(code) {
			window.location.href = "/thu-tuc/" + encodeURIComponent(code);
		}

		function show(procs) {
			close();
			procs.forEach(function (p, i) {
				var li = document.createElement("li");
				li.id = listId + "-" + i;
				li.setAttribute("role", "option");
				li.setAttribute("aria-selected", "false");
				li.setAttribute("data-code", p.code);
				var name = document.createElement("span");
				name.textContent = p.name;
				var meta = document.createElement("small");
				meta.textContent = p.code + " · " + p.field_name;
				li.appendChild(name);
				li.appendChild(meta);
				/* mousedown, not click: it comes before the input's blur. */
				li.addEventListener("mousedown", function (e) {
					e.preventDefault();
					open(p.code);
				});
				list.appendChild(li);
				items.push(li);
			});
			var fmt = form.getAttribute("data-suggest-count") || "{1}";
			status.textContent = fmt.replace("{1}", String(procs.length));
			if (procs.length) {
				list.hidden = false;
				input.setAttribute("aria-expanded", "true");
			}
		}

		function ask() {
			var q = input.value.trim();
			if (pending)
				pending.abort();
			if (q.length < MIN_CHARS) {
				close();
				return;
			}
			pending = new AbortController();
			var url = "/api/v1/procedures?prefix=1&limit=" + LIMIT + "&q=" + encodeURIComponent(q);
			fetch(url, {signal: pending.signal, headers: {"Accept": "application/json"}})
				.then(function (res) { return res.ok ? res.json() : {procedures: []}; })
				.then(function (doc) {
					if (input.value.trim() === q)
						show(doc.procedures || []);
				})
				.catch(function () { /* aborted or offline: the form still works */ });
		}

		input.addEventListener("input", function () {
			clearTimeout(timer);
			timer = setTimeout(ask, DELAY_MS);
		});
		input.addEventListener("keydown", function (e) {
			if (e.key === "ArrowDown" && items.length) {
				e.preventDefault();
				highlight(active + 1 < items.length ? active + 1 : 0);
			} else if (e.key === "ArrowUp" && items.length) {
				e.preventDefault();
				highlight(active > 0 ? active - 1 : items.length - 1);
			} else if (e.key === "Enter" && active >= 0 && items[active]) {
				e.preventDefault();
				open(items[active].getAttribute("data-code"));
			} else if (e.key === "Escape") {
				close();
			}
		});
		input.addEventListener("blur", function () { setTimeout(close, 100); });
	}

	var forms = document.querySelectorAll("form.search[data-suggest-label]");
	for (var i = 0; i < forms.length; i++)
		setup(forms[i], i);
})();
