/* The analyst desk.
 *
 * - Selecting a passage of the source text with the mouse fills the claim form:
 *   the quote, and its start offset counted in Unicode code points (as Python
 *   counts Source.text), then asks the server where it anchors. A selection
 *   made by touch or with the keyboard is offered by a button instead.
 * - Suggestion buttons fill the field they belong to (or, for a list typed one
 *   per line, its last line), and may update the help of the field after it.
 * - Failed HTMX requests are explained in the status region; 409 and 422
 *   responses that carry a form are swapped in so nothing typed is lost.
 *
 * Everything is delegated from the document, so it keeps working when htmx
 * replaces parts of the page (or the whole body, for boosted links).
 */
(function () {
  "use strict";

  // htmx "settles" a swapped element's class, style, width and height from the
  // element it replaces; copying a style attribute is an inline style, which the
  // Content Security Policy refuses. The desk never styles inline, so do not settle it.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  var MESSAGES = {
    0: "The server could not be reached. Check your connection and try again; nothing was saved.",
    403: "You are not allowed to do that here.",
    404: "Not found: it may have been removed or renamed.",
    409: "Someone else changed this in the meantime. Reload to see the current version.",
    413: "That upload is too large.",
    500: "Something went wrong on the server and nothing was saved. Try again, and tell an administrator if it keeps happening."
  };

  // ------------------------------------------------------------------
  // Selecting a passage

  function codePointLength(text) {
    return Array.from(text).length;
  }

  // How many UTF-16 units of the container's text come before (node, offset).
  function unitsBefore(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function selectedPassage() {
    var container = document.getElementById("source-text");
    var selection = window.getSelection();
    if (!container || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!range.intersectsNode(container)) {
      return null;
    }
    var text = container.textContent;
    var start = container.contains(range.startContainer) ? unitsBefore(container, range.startContainer, range.startOffset) : 0;
    var end = container.contains(range.endContainer) ? unitsBefore(container, range.endContainer, range.endOffset) : text.length;
    while (start < end && /\s/.test(text.charAt(start))) {
      start += 1;
    }
    while (end > start && /\s/.test(text.charAt(end - 1))) {
      end -= 1;
    }
    if (end <= start) {
      return null;
    }
    return {
      quote: text.slice(start, end),
      start: codePointLength(text.slice(0, start)),
      end: codePointLength(text.slice(0, end))
    };
  }

  function setField(form, name, value) {
    var field = form.querySelector("[name='" + name + "']");
    if (field) {
      field.value = value;
    }
  }

  function isVisible(element) {
    var box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }

  // The form's actions stick to the foot of the side column (desk.css), but while the page is
  // near its top that column still runs below the screen: scroll just enough to show them.
  function revealActions(form) {
    var actions = form.querySelector(".form-actions");
    if (!actions) {
      return;
    }
    var below = actions.getBoundingClientRect().bottom - (window.innerHeight || document.documentElement.clientHeight);
    if (below > 0) {
      window.scrollBy({ top: below + 8, behavior: "smooth" });
    }
  }

  function fillClaimForm(passage, scroll) {
    var form = document.getElementById("claim-form");
    if (!form) {
      return;
    }
    var quote = form.querySelector("[name='quote']");
    quote.value = passage.quote;
    setField(form, "start", String(passage.start));
    setField(form, "prefix", "");
    setField(form, "suffix", "");
    form.dataset.selectedStart = String(passage.start);
    form.dataset.selectedEnd = String(passage.end);
    if (window.htmx) {
      window.htmx.trigger(quote, "change");
    }
    if (scroll !== false && !isVisible(quote)) {
      quote.scrollIntoView({ behavior: "smooth", block: "center" });
    } else if (scroll !== false) {
      revealActions(form);
    }
    var status = document.getElementById("desk-status");
    if (status) {
      status.textContent = "";
    }
  }

  document.addEventListener("mouseup", function () {
    // Let the browser finish the selection (double and triple clicks) first.
    window.setTimeout(function () {
      var passage = selectedPassage();
      if (passage) {
        fillClaimForm(passage);
      }
    }, 0);
  });

  // A selection made another way (a long press on a touch screen, the keyboard with caret
  // browsing) ends with no mouseup. Once it rests, a button next to the text offers to record
  // it; the button is reachable with the keyboard and records the passage it was offered for,
  // even if tapping it has cleared the selection.
  var SELECTION_SETTLES_AFTER_MS = 250;
  var selectionTimer = null;
  var offered = null;

  function inClaimForm(passage) {
    var form = document.getElementById("claim-form");
    return Boolean(form) && form.dataset.selectedStart === String(passage.start) &&
      form.dataset.selectedEnd === String(passage.end);
  }

  function offerSelection() {
    var action = document.querySelector("[data-selection-action]");
    if (!action) {
      return;
    }
    var button = action.querySelector("[data-record-selection]");
    var passage = document.getElementById("claim-form") ? selectedPassage() : null;
    // Which selection was last looked at (code points, as in the form): "" for none.
    action.dataset.selection = passage ? passage.start + "-" + passage.end : "";
    if (passage && !inClaimForm(passage)) {
      offered = passage;
      var preview = action.querySelector("[data-selection-preview]");
      if (preview) {
        var chars = Array.from(passage.quote);
        preview.textContent = "“" + (chars.length > 60 ? chars.slice(0, 60).join("") + "…" : passage.quote) + "”";
      }
      action.hidden = false;
    } else if (document.activeElement !== button) {
      offered = null;
      action.hidden = true;
    }
  }

  document.addEventListener("selectionchange", function () {
    window.clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(offerSelection, SELECTION_SETTLES_AFTER_MS);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-record-selection]") : null;
    if (!button || !offered) {
      return;
    }
    var passage = offered;
    offered = null;
    button.closest("[data-selection-action]").hidden = true;
    fillClaimForm(passage, false);
    var next = document.querySelector("#claim-form [name='claimant']");
    if (next) {
      next.focus();
    }
  });

  // ------------------------------------------------------------------
  // Suggestions fill their field

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-fill]") : null;
    if (!button) {
      return;
    }
    var input = document.getElementById(button.dataset.fill);
    if (!input) {
      return;
    }
    if (button.dataset.append !== undefined) {
      // A list of one value per line: the suggestion replaces the line being typed.
      var lines = input.value.split("\n");
      lines[lines.length - 1] = button.dataset.value;
      input.value = lines.join("\n") + "\n";
    } else {
      input.value = button.dataset.value;
    }
    // A suggestion may say how to fill the next field (the value a chosen question asks for).
    var help = button.dataset.helpTarget ? document.getElementById(button.dataset.helpTarget) : null;
    if (help && button.dataset.help) {
      help.textContent = button.dataset.help;
    }
    var newBox = button.dataset.uncheck ? document.getElementById(button.dataset.uncheck) : null;
    if (newBox) {
      newBox.checked = false;
    }
    var list = button.closest(".suggestions");
    if (list) {
      list.textContent = "";
    }
    input.focus();
  });

  // ------------------------------------------------------------------
  // Errors and conflicts

  function showStatus(message, kind) {
    var region = document.getElementById("desk-status");
    if (!region) {
      window.alert(message);
      return;
    }
    region.textContent = "";
    var notice = document.createElement("p");
    notice.className = "notice notice--" + kind;
    notice.textContent = message;
    region.appendChild(notice);
  }

  function refusalIn(xhr) {
    try {
      var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var refusal = page.querySelector("[data-desk-error]");
      return refusal ? refusal.textContent.trim() : null;
    } catch (error) {
      return null;
    }
  }

  document.addEventListener("htmx:beforeRequest", function () {
    var region = document.getElementById("desk-status");
    if (region) {
      region.textContent = "";
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400) {
      return;
    }
    var refusal = refusalIn(xhr);
    if ((xhr.status === 409 || xhr.status === 422) && !refusal) {
      // The response is the form again, with the reason and everything typed.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    event.detail.shouldSwap = false;
    showStatus(refusal || MESSAGES[xhr.status] || "The request failed (error " + xhr.status + "); nothing was changed.", "error");
  });

  document.addEventListener("htmx:sendError", function () {
    showStatus(MESSAGES[0], "error");
  });

  // A panel that arrives shows its top (the notice); one with errors focuses the first to correct.
  // A panel that opened in place of another (proposing a change) takes the keyboard focus, so
  // keyboard and screen reader users continue in it rather than where the link was.
  document.addEventListener("htmx:afterSettle", function () {
    var panel = document.querySelector("[data-arrived]");
    if (!panel) {
      return;
    }
    panel.removeAttribute("data-arrived");
    var invalid = panel.querySelector("[aria-invalid='true']");
    if (invalid) {
      invalid.focus();
      return;
    }
    var side = panel.closest(".annotate__side");
    if (side) {
      side.scrollTop = 0;
    }
    if (panel.getAttribute("tabindex") === "-1") {
      var top = panel.getBoundingClientRect().top;
      panel.focus({ preventScroll: top >= 0 && top < window.innerHeight });
    }
  });

  // A card that moved to another column takes the keyboard focus with it.
  document.addEventListener("htmx:afterSettle", function () {
    var arrived = document.querySelector("[data-focus-on-arrival]");
    if (arrived) {
      arrived.removeAttribute("data-focus-on-arrival");
      arrived.focus();
    }
  });
})();
