/* app.js — progressive enhancement only: every flow works without it (the pages are forms and
 * links answered by the server).  No framework, no inline script (the CSP forbids it); loaded
 * with defer.  What it adds:
 *  - the error summary of a refused form takes the focus, so a screen reader announces it;
 *  - a link of the summary focuses its field (not only scrolls to it);
 *  - a button with data-confirm asks before it submits (destructive or final actions);
 *  - a form is not submitted twice by a double tap (its submit buttons disabled after the first). */
(function () {
	"use strict";
	var summary = document.querySelector(".error-summary");
	if (summary) {
		summary.focus();
		summary.addEventListener("click", function (e) {
			var a = e.target.closest ? e.target.closest("a[href^='#f-']") : null;
			if (!a) return;
			var field = document.getElementById(a.getAttribute("href").slice(1));
			if (field) {
				e.preventDefault();
				field.focus();
				field.scrollIntoView({block: "center"});
			}
		});
	}
	document.addEventListener("submit", function (e) {
		var form = e.target, btn = e.submitter;
		var ask = btn && btn.getAttribute("data-confirm");
		if (ask && !window.confirm(ask)) {
			e.preventDefault();
			return;
		}
		if (form.getAttribute("data-submitted")) {
			e.preventDefault();
			return;
		}
		form.setAttribute("data-submitted", "1");
	});
	/* back to a page from the browser's cache: its forms may be sent again */
	window.addEventListener("pageshow", function () {
		var sent = document.querySelectorAll("form[data-submitted]");
		for (var i = 0; i < sent.length; i++) sent[i].removeAttribute("data-submitted");
	});
}());
