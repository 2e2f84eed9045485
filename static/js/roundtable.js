// Progressive enhancement only: every feature here has a no-JavaScript path.
(function () {
  "use strict";

  // Reply inline: clone the page's reply form under the comment, pointing at
  // the same reply address the link opens without JavaScript.
  // Returns false when it cannot, so the link opens the reply page instead.
  function openInlineReply(link) {
    var comment = link.closest(".comment");
    var template = document.getElementById("reply-form-template");
    if (!comment || !template) return false;
    var existing = comment.querySelector(".inline-reply");
    if (existing) {
      // Cancel only hid it: the text typed before is still there.
      existing.hidden = false;
      link.setAttribute("aria-expanded", "true");
      existing.querySelector("textarea").focus();
      return true;
    }
    var fragment = template.content.cloneNode(true);
    var wrapper = fragment.querySelector(".inline-reply");
    var form = wrapper && wrapper.querySelector("form");
    if (!form) return false;
    // The template's action is only the fragment of the reply page's error
    // summary: a refused reply opens that page at the message.
    form.action = link.href.split("#")[0] + (form.getAttribute("action") || "");
    // Give the cloned fields ids of their own, so labels stay tied to them.
    var suffix = "-" + link.dataset.replyTo;
    wrapper.querySelectorAll("[id]").forEach(function (element) {
      element.id = element.id + suffix;
    });
    wrapper.querySelectorAll("label[for]").forEach(function (label) {
      label.htmlFor = label.htmlFor + suffix;
    });
    wrapper.querySelectorAll("[aria-describedby]").forEach(function (element) {
      element.setAttribute(
        "aria-describedby",
        element.getAttribute("aria-describedby").split(" ").map(function (id) { return id + suffix; }).join(" ")
      );
    });
    var cancel = wrapper.querySelector("[data-reply-cancel]");
    if (cancel) {
      // Beside the submit button, where people look for it.
      form.appendChild(cancel);
      cancel.addEventListener("click", function () {
        wrapper.hidden = true;
        link.setAttribute("aria-expanded", "false");
        link.focus();
      });
    }
    comment.appendChild(wrapper);
    link.setAttribute("aria-expanded", "true");
    wrapper.querySelector("textarea").focus();
    return true;
  }

  // "Read more": unclamp the teaser in place instead of leaving the page.
  function expandTeaser(link) {
    var body = document.getElementById(link.dataset.expands);
    if (!body) return false;
    body.classList.remove("comment__body--teaser");
    link.remove();
    body.setAttribute("tabindex", "-1");
    body.focus();
    return true;
  }

  // The language switcher keeps the reader's place on the page.
  function keepAnchor(link) {
    if (window.location.hash) {
      link.href = link.href.split("#")[0] + window.location.hash;
    }
  }

  // "Cite this": copy the citation's text; without JavaScript (or a clipboard)
  // the button stays hidden and the text is there to select.
  function copyText(button) {
    var source = document.getElementById(button.dataset.copyText);
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.dataset.copiedLabel;
    });
  }

  if (navigator.clipboard) {
    document.querySelectorAll("button[data-copy-text]").forEach(function (button) {
      button.hidden = false;
    });
  }

  // A click that asks for a new tab or window keeps the link's own behaviour.
  function isPlainClick(event) {
    return event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey);
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented) return;
    var target = event.target.closest("a, button");
    if (!target) return;
    if (target.matches("a[data-reply-to]")) {
      if (isPlainClick(event) && openInlineReply(target)) event.preventDefault();
    } else if (target.matches("a[data-expands]")) {
      if (isPlainClick(event) && expandTeaser(target)) event.preventDefault();
    } else if (target.matches("a[data-keep-anchor]")) {
      keepAnchor(target);
    } else if (target.matches("button[data-copy-text]")) {
      copyText(target);
    }
  });

  // "More answers": the next page of answers appended in place. Without
  // JavaScript (or if the fetch fails) the pages' own links stay and work.
  function addMoreAnswersButton(nav) {
    var next = nav.querySelector("a[data-next-answers]");
    var thread = document.querySelector("[data-answers-page]");
    if (!next || !thread) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "more-answers";
    button.textContent = nav.dataset.moreAnswers;
    nav.parentNode.insertBefore(button, nav);
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = nav.dataset.loading;
      fetch(next.href.split("#")[0], { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var answers = page.querySelector("[data-answers-page]");
          var first = null;
          if (answers) {
            Array.prototype.slice.call(answers.children).forEach(function (child) {
              var adopted = document.importNode(child, true);
              thread.appendChild(adopted);
              if (!first) first = adopted;
            });
          }
          var newNav = page.querySelector("nav.answer-pages");
          button.remove();
          if (newNav) {
            var adoptedNav = document.importNode(newNav, true);
            nav.replaceWith(adoptedNav);
            addMoreAnswersButton(adoptedNav);
          } else {
            nav.remove();
          }
          if (first) {
            first.setAttribute("tabindex", "-1");
            first.focus();
          }
        })
        .catch(function () {
          window.location.href = next.href;
        });
    });
  }

  document.querySelectorAll("nav.answer-pages").forEach(addMoreAnswersButton);

  // A form never loses text: a second click while the first post is on its
  // way would otherwise send the comment twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
  });
})();

// An error summary or a confirmation beside a new comment takes the focus,
// so it is read first. Without JavaScript the address's fragment or
// `autofocus` does it; this covers a page opened without either.
// After the load: scrolling to the address's fragment takes the focus away
// from anything that is not the fragment's own target.
window.addEventListener("load", function () {
  var message = document.querySelector("[data-focus-on-load]");
  if (!message) return;
  window.requestAnimationFrame(function () {
    if (!document.activeElement || document.activeElement === document.body) {
      message.focus({ preventScroll: true });
    }
  });
});

// Coming back to a page from the browser history must leave its forms usable.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    delete form.dataset.submitting;
  });
});
