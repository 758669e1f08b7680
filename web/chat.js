/*!
 * TSF Assistant chat widget. Plain ES2017, no build step, no dependencies. One tag embeds it:
 *
 *   <script src="https://example.org/chat/chat.js" defer
 *           data-server="https://rasa.example.org"   (optional: else ./config.json is read)
 *           data-title="TSF Assistant"               (optional)
 *           data-primary-colour="#1d4f91"            (optional: needs 4.5:1 against white)
 *           data-start-open="false"></script>        (optional)
 *
 * It loads chat.css from its own folder and talks to Rasa's REST channel.
 *
 * Why REST: one plain HTTP request per message works through any proxy and needs no client
 * library. The session id the server issued, kept in this tab's storage, is the
 * conversation; the connection status, back-off and resending are done here. (Rasa's socket.io channel also works, with
 * the session fix in channels/socketio.py, for clients that prefer it.)
 *
 * Safety: every message is rendered as DOM text nodes; only https links become <a> elements,
 * built with DOM APIs. Nothing from the network or the user ever reaches innerHTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.TSFChatWidgetLoaded) {
    return; // loaded twice, or not from a classic <script>: keep the first widget only
  }
  window.TSFChatWidgetLoaded = true;

  var MAX_LENGTH = 500;
  var DEFAULT_COLOUR = "#1d4f91";
  var BUBBLE_GREY = [243, 242, 241]; // .tsf-chat__msg--bot background in chat.css
  var MAX_STORED_ENTRIES = 200;
  var REPLY_TIMEOUT_MS = 30000;
  var PROBE_TIMEOUT_MS = 10000;
  var HEARTBEAT_MS = 30000;
  var RETRIES_BEFORE_OFFLINE = 7; // back-off 1, 2, 4 … 30 s: about two minutes in all
  var STORAGE_PREFIX = "tsf-chat:";
  var STATUS_TEXT = {
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    offline: "Offline"
  };

  var base = new URL(".", script.src);
  var options = {
    server: script.dataset.server || null,
    title: script.dataset.title || "TSF Assistant",
    colour: script.dataset.primaryColour || "",
    startOpen: script.dataset.startOpen === "true"
  };

  /* ---- Storage ---------------------------------------------------------------------------
   * sessionStorage, not localStorage: the conversation survives reloads in this tab but is
   * forgotten when the tab is closed, which suits a public widget on shared computers. When
   * storage is unavailable (some privacy modes) the widget works but forgets. */
  var store = {
    get: function (key, fallback) {
      try {
        var raw = window.sessionStorage.getItem(STORAGE_PREFIX + key);
        return raw === null ? fallback : JSON.parse(raw);
      } catch (error) {
        return fallback;
      }
    },
    set: function (key, value) {
      try {
        window.sessionStorage.setItem(STORAGE_PREFIX + key, JSON.stringify(value));
      } catch (error) {
        /* full or disabled: not fatal */
      }
    }
  };

  function newSenderId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.from(bytes, function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function storedArray(key) {
    var value = store.get(key, []);
    return Array.isArray(value) ? value : [];
  }

  var state = {
    sender: store.get("sender", null) || newSenderId(),
    transcript: storedArray("transcript"), // [{from: "bot"|"user"|"notice"|"staff"|"event", text, buttons?, feedback?, name?, team?}]
    outbox: storedArray("outbox"), // messages not answered yet, oldest first
    greeted: store.get("greeted", false),
    live: store.get("live", false), // waiting for, or in, a live chat with the team
    liveAfter: Number(store.get("liveAfter", 0)) || 0, // time of the last live message shown
    liveSource: null,
    open: store.get("open", options.startOpen),
    status: "connecting",
    server: null,
    started: false,
    checking: false,
    sending: false,
    failures: 0,
    retryTimer: null,
    countTimer: null
  };
  store.set("sender", state.sender);

  /* ---- DOM helpers ------------------------------------------------------------------- */
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function visuallyHidden(text) {
    return el("span", { class: "tsf-chat__sr" }, text);
  }

  /* ---- Colour ------------------------------------------------------------------------ */
  function luminance(rgb) {
    var linear = rgb.map(function (channel) {
      var c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** The custom colour if it is an opaque CSS colour with 4.5:1 contrast against white and
   * the bot bubble (it is a background under white text and a text colour on both),
   * otherwise the default. */
  function usableColour(value) {
    if (!value) {
      return DEFAULT_COLOUR;
    }
    var probe = el("span");
    probe.style.color = value; // CSSOM is allowed by the page's CSP, style="" is not
    if (!probe.style.color) {
      console.warn("TSF chat: data-primary-colour is not a colour; using the default.");
      return DEFAULT_COLOUR;
    }
    document.body.appendChild(probe);
    var parts = window.getComputedStyle(probe).color
      .match(/^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/);
    probe.remove();
    var rgb = parts && [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    var opaque = parts && (parts[4] === undefined || Number(parts[4]) === 1);
    if (!opaque || Math.min(contrast(rgb, [255, 255, 255]), contrast(rgb, BUBBLE_GREY)) < 4.5) {
      console.warn("TSF chat: data-primary-colour has too little contrast; using the default.");
      return DEFAULT_COLOUR;
    }
    return value;
  }

  /* ---- Safe text with links ---------------------------------------------------------- */
  // A Markdown link to an https address, or a bare https address.
  var LINK_PATTERN = /\[([^\]\n]+)\]\((https:\/\/[^\s()<>]+)\)|https:\/\/[^\s<>"']+/g;
  var TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

  function httpsHref(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /** Append ``text`` to ``parent`` as text nodes, with https addresses as links. */
  function appendText(parent, text) {
    var last = 0;
    var match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(text)) !== null) {
      var label = match[1];
      var address = match[2] || match[0];
      var end = match.index + match[0].length;
      if (!label) {
        // In "see https://example.org." the full stop ends the sentence, not the address.
        var trimmed = address.replace(TRAILING_PUNCTUATION, "");
        end -= address.length - trimmed.length;
        address = trimmed;
      }
      var href = httpsHref(address);
      if (href) {
        parent.appendChild(document.createTextNode(text.slice(last, match.index)));
        var link = el("a", { href: href, rel: "noopener noreferrer", target: "_blank" });
        link.textContent = label || address;
        link.appendChild(visuallyHidden(" (opens in a new tab)"));
        parent.appendChild(link);
        last = end;
      }
      LINK_PATTERN.lastIndex = end;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /* ---- The widget's DOM -------------------------------------------------------------- */
  var root = el("div", { class: "tsf-chat" });
  var launcher = el("button", {
    type: "button",
    class: "tsf-chat__launcher",
    "aria-expanded": "false",
    "aria-controls": "tsf-chat-panel"
  });
  launcher.appendChild(el("span", { class: "tsf-chat__launcher-icon", "aria-hidden": "true" }));
  launcher.appendChild(el("span", {}, "Chat with us"));

  // A non-modal dialog: the page behind stays usable on wide screens.
  var panel = el("section", {
    id: "tsf-chat-panel",
    class: "tsf-chat__panel",
    role: "dialog",
    "aria-labelledby": "tsf-chat-title"
  });
  panel.hidden = true;

  var header = el("div", { class: "tsf-chat__header" });
  var heading = el("div", { class: "tsf-chat__heading" });
  heading.appendChild(el("h2", { id: "tsf-chat-title", class: "tsf-chat__title" }, options.title));
  var status = el("p", { class: "tsf-chat__status", role: "status" });
  heading.appendChild(status);
  var retry = el("button", { type: "button", class: "tsf-chat__retry" }, "Try again");
  retry.hidden = true;
  var close = el("button", { type: "button", class: "tsf-chat__close", "aria-label": "Close chat" });
  close.appendChild(el("span", { "aria-hidden": "true" }, "×"));
  header.appendChild(heading);
  header.appendChild(retry);
  header.appendChild(close);

  // tabindex: a scrollable region must be reachable by keyboard to be scrolled.
  var log = el("div", {
    id: "tsf-chat-log",
    class: "tsf-chat__log",
    role: "log",
    "aria-live": "polite",
    "aria-label": "Conversation",
    tabindex: "0"
  });

  var typing = el("div", { class: "tsf-chat__typing", role: "status" });
  typing.appendChild(visuallyHidden("The assistant is typing…"));
  var dots = el("span", { class: "tsf-chat__dots", "aria-hidden": "true" });
  [1, 2, 3].forEach(function () {
    dots.appendChild(el("span"));
  });
  typing.appendChild(dots);
  typing.hidden = true;

  var form = el("form", { class: "tsf-chat__form", novalidate: "" });
  form.appendChild(el("label", { for: "tsf-chat-input", class: "tsf-chat__label" }, "Your message"));
  form.appendChild(
    el(
      "span",
      { id: "tsf-chat-hint", class: "tsf-chat__sr" },
      "You can enter up to " + MAX_LENGTH + " characters. Press Enter to send."
    )
  );
  var row = el("div", { class: "tsf-chat__row" });
  var input = el("textarea", {
    id: "tsf-chat-input",
    class: "tsf-chat__input",
    rows: "2",
    autocomplete: "off",
    "aria-describedby": "tsf-chat-hint"
  });
  var send = el("button", { type: "submit", class: "tsf-chat__send" }, "Send");
  row.appendChild(input);
  row.appendChild(send);
  form.appendChild(row);
  // The visible count changes with every key press, so screen readers get a copy that is
  // updated only once typing pauses (as in the GOV.UK character count).
  var count = el("p", { class: "tsf-chat__count", "aria-hidden": "true" });
  var spokenCount = el("p", { class: "tsf-chat__sr", "aria-live": "polite" });
  form.appendChild(count);
  form.appendChild(spokenCount);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  /* ---- Transcript -------------------------------------------------------------------- */
  function saveTranscript() {
    state.transcript = state.transcript.slice(-MAX_STORED_ENTRIES);
    store.set("transcript", state.transcript);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function renderChoices(buttons) {
    var group = el("div", { class: "tsf-chat__choices", role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (button) {
      var choice = el("button", { type: "button", class: "tsf-chat__choice" }, button.title);
      choice.addEventListener("click", function () {
        sendMessage(button.payload, button.title);
        input.focus(); // the clicked button is removed: do not leave focus on nothing
      });
      group.appendChild(choice);
    });
    return group;
  }

  /* ---- "Was this helpful?" ------------------------------------------------------------
   * Under an answer that gave a fact (the reply's feedback.answer is its token): two real
   * buttons, a press posted once to /webhooks/rest/feedback; then both are disabled, the one
   * pressed stays aria-pressed and a polite status thanks the user. The server looks the token
   * up in this session's own conversation, so the widget never names a fact. */
  var feedbackCount = 0;
  var feedbackSending = {}; // answer tokens whose press is on its way (not stored)
  var FEEDBACK_GONE = "Sorry, this answer can no longer be rated.";

  function showFeedbackState(group, entry, message) {
    var given = entry.feedback.given;
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (button) {
      button.disabled = Boolean(given);
      button.setAttribute("aria-pressed", String(button.dataset.value === given));
    });
    group.querySelector(".tsf-chat__feedback-status").textContent =
      message || (given ? "Thanks for telling us." : "");
  }

  function giveFeedback(group, entry, value) {
    var answer = entry.feedback.answer;
    if (entry.feedback.given || feedbackSending[answer] || !state.server) {
      return;
    }
    feedbackSending[answer] = true;
    var request = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, answer: answer, helpful: value === "yes" })
    };
    timedFetch(state.server + "/webhooks/rest/feedback", request, REPLY_TIMEOUT_MS)
      .then(function (response) {
        if (response.status === 404) {
          return "gone";
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return "given";
      })
      .then(
        function (result) {
          delete feedbackSending[answer];
          entry.feedback.given = result === "given" ? value : "gone";
          saveTranscript();
          input.focus(); // the pressed button is now disabled: do not leave focus on it
          showFeedbackState(group, entry, result === "gone" ? FEEDBACK_GONE : "");
        },
        function () {
          delete feedbackSending[answer];
          showFeedbackState(group, entry, "Sorry, that did not reach us. Please try again.");
        }
      );
  }

  function renderFeedback(entry) {
    feedbackCount += 1;
    var askId = "tsf-chat-feedback-" + feedbackCount;
    var group = el("div", { class: "tsf-chat__feedback", role: "group", "aria-labelledby": askId });
    group.appendChild(el("span", { id: askId, class: "tsf-chat__feedback-ask" }, "Was this helpful?"));
    [
      { value: "yes", title: "Yes", label: "Yes, helpful" },
      { value: "no", title: "No", label: "No, not helpful" }
    ].forEach(function (choice) {
      var button = el(
        "button",
        { type: "button", class: "tsf-chat__feedback-button", "aria-label": choice.label, "data-value": choice.value },
        choice.title
      );
      button.addEventListener("click", function () {
        giveFeedback(group, entry, choice.value);
      });
      group.appendChild(button);
    });
    group.appendChild(el("span", { class: "tsf-chat__feedback-status", role: "status" }));
    showFeedbackState(group, entry, entry.feedback.given === "gone" ? FEEDBACK_GONE : "");
    return group;
  }

  var SPEAKER = { bot: "Assistant: ", user: "You: ", notice: "", staff: "", event: "" };

  function render(entry) {
    var bubble = el("p", { class: "tsf-chat__msg tsf-chat__msg--" + entry.from });
    if (SPEAKER[entry.from]) {
      bubble.appendChild(visuallyHidden(SPEAKER[entry.from]));
    }
    if (entry.from === "staff") {
      // A person from the team, named, so nobody mistakes them for the assistant.
      bubble.appendChild(el("span", { class: "tsf-chat__who" }, entry.name + ", " + entry.team));
      bubble.appendChild(visuallyHidden(": "));
    }
    appendText(bubble, entry.text);
    log.appendChild(bubble);
    if (entry.feedback && entry.feedback.answer) {
      log.appendChild(renderFeedback(entry));
    }
    if (entry.buttons && entry.buttons.length) {
      log.appendChild(renderChoices(entry.buttons));
    }
    scrollToEnd();
  }

  function addEntry(entry) {
    state.transcript.push(entry);
    saveTranscript();
    render(entry);
  }

  /** Suggested replies are for the next turn only: drop them once the user says anything. */
  function removeChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".tsf-chat__choices"), function (group) {
      group.remove();
    });
    state.transcript.forEach(function (entry) {
      delete entry.buttons;
    });
  }

  function onReply(reply) {
    if (!reply || typeof reply !== "object") {
      return;
    }
    var text = typeof reply.text === "string" ? reply.text : "";
    var buttons = (Array.isArray(reply.buttons) ? reply.buttons : [])
      .filter(function (button) {
        return button && button.title && typeof button.payload === "string";
      })
      .map(function (button) {
        return { title: String(button.title), payload: button.payload };
      });
    if (reply.custom && reply.custom.live_chat === "waiting") {
      startLive(); // the team has been asked to join: listen for them
    }
    if (!text && !buttons.length) {
      return; // images and other custom payloads are not shown by this widget
    }
    var entry = { from: "bot", text: text };
    if (text && reply.feedback && typeof reply.feedback.answer === "string" && reply.feedback.answer) {
      entry.feedback = { answer: reply.feedback.answer };
    }
    if (buttons.length) {
      entry.buttons = buttons;
    }
    addEntry(entry);
  }

  /* ---- Live chat with the team --------------------------------------------------------
   * Once the team is asked to join, the widget listens to /webhooks/rest/live (Server-Sent
   * Events, no library): who joined, what they write, and the hand back. Each message is
   * shown once, in order, across reconnects and reloads (liveAfter is kept in storage). */
  function onLiveMessage(message) {
    if (!message || typeof message !== "object") {
      return;
    }
    var at = Number(message.timestamp) || 0;
    if (at <= state.liveAfter) {
      return;
    }
    state.liveAfter = at;
    store.set("liveAfter", at);
    var text = typeof message.text === "string" ? message.text : "";
    if (message.kind === "staff" && message.staff && text) {
      addEntry({
        from: "staff",
        text: text,
        name: String(message.staff.name || "Team member"),
        team: String(message.staff.team || "Social Investment Team")
      });
    } else if (message.kind === "joined" || message.kind === "ended") {
      addEntry({ from: "event", text: text }); // the log is aria-live: it is announced
    } else {
      onReply(message);
    }
    if (message.kind === "ended" || message.kind === "expired") {
      stopLive();
    }
  }

  function startLive() {
    state.live = true;
    store.set("live", true);
    if (state.liveSource || !state.server || typeof window.EventSource !== "function") {
      return;
    }
    var url =
      state.server +
      "/webhooks/rest/live?session=" +
      encodeURIComponent(state.sender) +
      "&after=" +
      encodeURIComponent(String(state.liveAfter));
    state.liveSource = new window.EventSource(url);
    state.liveSource.onmessage = function (event) {
      try {
        onLiveMessage(JSON.parse(event.data));
      } catch (error) {
        /* not JSON: ignored */
      }
    };
  }

  function stopLive() {
    state.live = false;
    store.set("live", false);
    if (state.liveSource) {
      state.liveSource.close();
      state.liveSource = null;
    }
  }

  /* ---- Talking to Rasa --------------------------------------------------------------- */
  function setStatus(name) {
    state.status = name;
    status.setAttribute("data-state", name);
    status.textContent = STATUS_TEXT[name];
    retry.hidden = name !== "offline";
    updateTyping();
  }

  /** The typing indicator shows while Rasa is working on a message. */
  function updateTyping() {
    typing.hidden = !(state.status === "connected" && state.sending);
    scrollToEnd();
  }

  function timedFetch(url, init, milliseconds) {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, milliseconds);
    return fetch(url, Object.assign({ signal: controller.signal }, init)).then(
      function (response) {
        clearTimeout(timer);
        return response;
      },
      function (error) {
        clearTimeout(timer);
        throw error;
      }
    );
  }

  function resolveServer() {
    if (state.server) {
      return Promise.resolve();
    }
    var address = options.server
      ? Promise.resolve(options.server)
      : timedFetch(new URL("config.json", base).href, { cache: "no-store" }, PROBE_TIMEOUT_MS)
          .then(function (response) {
            if (!response.ok) {
              throw new Error("config.json: HTTP " + response.status);
            }
            return response.json();
          })
          .then(function (config) {
            return config.server;
          });
    return address.then(function (server) {
      state.server = new URL(server, base).href.replace(/\/+$/, "");
    });
  }

  /** Whether Rasa's REST channel answers its health route ({"status": "ok"}). */
  function probe() {
    return resolveServer()
      .then(function () {
        return timedFetch(state.server + "/webhooks/rest/", { cache: "no-store" }, PROBE_TIMEOUT_MS);
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Rasa: HTTP " + response.status);
        }
      });
  }

  function onConnected() {
    state.failures = 0;
    setStatus("connected");
    if (state.live) {
      startLive();
    }
    pump();
  }

  /** Rasa cannot be reached: try again after 1, 2, 4 … 30 s, then say "Offline". */
  function onLost() {
    clearTimeout(state.retryTimer);
    state.failures += 1;
    if (navigator.onLine === false) {
      setStatus("offline"); // the browser's "online" event resumes
      return;
    }
    if (state.failures > RETRIES_BEFORE_OFFLINE) {
      setStatus("offline"); // "Try again" resumes
      return;
    }
    setStatus("reconnecting");
    var delay = Math.min(30000, 1000 * Math.pow(2, state.failures - 1));
    state.retryTimer = setTimeout(check, delay);
  }

  function check() {
    clearTimeout(state.retryTimer);
    if (state.checking) {
      return;
    }
    state.checking = true;
    probe().then(
      function () {
        state.checking = false;
        onConnected();
      },
      function () {
        state.checking = false;
        onLost();
      }
    );
  }

  function reconnectNow() {
    state.failures = 0;
    setStatus("reconnecting");
    check();
  }

  function sendFailure(message, resend) {
    var error = new Error(message);
    error.resend = resend;
    return error;
  }

  /** Send the oldest unanswered message; one at a time, so replies stay in order. */
  function pump() {
    if (state.sending || state.status !== "connected" || !state.outbox.length) {
      return;
    }
    state.sending = true;
    updateTyping();
    var request = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // metadata.live_chat: this client shows the team's messages, so a live chat is offered
      body: JSON.stringify({ sender: state.sender, message: state.outbox[0], metadata: { live_chat: true } })
    };
    timedFetch(state.server + "/webhooks/rest/webhook", request, REPLY_TIMEOUT_MS)
      .then(
        function (response) {
          if (!response.ok) {
            // 502/503: a proxy in front of a Rasa that is down; the message never arrived
            var unreached = response.status === 502 || response.status === 503;
            throw sendFailure("HTTP " + response.status, unreached);
          }
          return response.json();
        },
        function (error) {
          // A network error means the message never arrived: keep it and resend it. A time-out
          // may have reached Rasa, so it is not resent (that could answer it twice).
          throw sendFailure(String(error), !(error && error.name === "AbortError"));
        }
      )
      .then(
        function (replies) {
          finishSending();
          adoptSession(replies);
          (Array.isArray(replies) ? replies : []).forEach(onReply);
          pump();
        },
        function (failure) {
          state.sending = false;
          if (failure.resend) {
            onLost();
            return;
          }
          finishSending();
          addEntry({ from: "notice", text: "Sorry, the assistant could not answer that. Please try again." });
          pump();
        }
      );
  }

  /**
   * The server issues the session id (a tag it can check): replies carry it as recipient_id,
   * and it is this tab's conversation from then on. An id the server did not issue is never
   * continued, so nobody can reach a conversation by guessing or copying its id.
   */
  function adoptSession(replies) {
    var issued = Array.isArray(replies) && replies.length ? replies[0].recipient_id : null;
    if (typeof issued === "string" && issued && issued !== state.sender) {
      state.sender = issued;
      store.set("sender", issued);
    }
  }

  function finishSending() {
    state.sending = false;
    state.outbox.shift();
    store.set("outbox", state.outbox);
    updateTyping();
  }

  function deliver(message) {
    state.outbox.push(message);
    store.set("outbox", state.outbox);
    pump();
  }

  function ensureStarted() {
    if (!state.started) {
      state.started = true;
      setStatus("connecting");
      check();
      // Keep the status honest while the panel is open and the tab is visible.
      setInterval(function () {
        if (state.open && state.status === "connected" && !state.sending && !document.hidden) {
          probe().catch(onLost);
        }
      }, HEARTBEAT_MS);
    }
  }

  function greetOnce() {
    if (!state.greeted && state.transcript.length === 0) {
      state.greeted = true;
      store.set("greeted", true);
      deliver("/greet");
    }
  }

  retry.addEventListener("click", reconnectNow);
  window.addEventListener("offline", function () {
    if (state.started) {
      clearTimeout(state.retryTimer);
      setStatus("offline");
    }
  });
  window.addEventListener("online", function () {
    if (state.started && state.status !== "connected") {
      reconnectNow();
    }
  });

  /* ---- Typing a message -------------------------------------------------------------- */
  function sendMessage(payload, shownAs) {
    removeChoices();
    addEntry({ from: "user", text: shownAs });
    deliver(payload);
  }

  function length(text) {
    return Array.from(text).length; // characters, not UTF-16 units: an emoji counts once
  }

  function countMessage() {
    var left = MAX_LENGTH - length(input.value);
    var over = left < 0;
    var number = Math.abs(left);
    return "You have " + number + (number === 1 ? " character " : " characters ") +
      (over ? "too many" : "remaining");
  }

  function updateCount() {
    var over = length(input.value) > MAX_LENGTH;
    count.textContent = countMessage();
    count.classList.toggle("tsf-chat__count--error", over);
    if (over) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
    clearTimeout(state.countTimer);
    state.countTimer = setTimeout(function () {
      spokenCount.textContent = countMessage();
    }, 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      return;
    }
    if (length(text) > MAX_LENGTH) {
      spokenCount.textContent = countMessage(); // say it now, not after the pause
      input.focus();
      return;
    }
    input.value = "";
    updateCount();
    sendMessage(text, text);
  });
  input.addEventListener("input", updateCount);
  input.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter starts a new line; leave IME composition alone.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send.click();
    }
  });

  /* ---- Opening and closing ----------------------------------------------------------- */
  function setOpen(open, moveFocus) {
    state.open = open;
    store.set("open", open);
    panel.hidden = !open;
    root.classList.toggle("tsf-chat--open", open);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      ensureStarted();
      greetOnce();
      scrollToEnd();
      if (moveFocus) {
        input.focus();
      }
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(!state.open, true);
  });
  close.addEventListener("click", function () {
    setOpen(false, true);
  });
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && state.open) {
      event.stopPropagation();
      setOpen(false, true);
    }
  });

  /* ---- Start ------------------------------------------------------------------------- */
  function start() {
    root.style.setProperty("--tsf-primary", usableColour(options.colour));
    // Restored before the log is in the document, so screen readers do not read it all again.
    state.transcript.forEach(render);
    updateCount();
    setStatus("connecting");
    document.body.appendChild(root);
    // Opening with the page shows the panel but never takes focus away from the page.
    setOpen(Boolean(state.open), false);
    if (state.outbox.length) {
      ensureStarted(); // something typed before a reload is still waiting to be sent
    }
  }

  var mounted = false;
  function startOnce() {
    if (mounted) {
      return;
    }
    mounted = true;
    if (document.body) {
      start();
    } else {
      document.addEventListener("DOMContentLoaded", start); // a <script> in <head>
    }
  }

  // The stylesheet first, so that the widget never shows unstyled.
  var stylesheet = el("link", { rel: "stylesheet", href: new URL("chat.css", base).href });
  stylesheet.addEventListener("load", startOnce);
  stylesheet.addEventListener("error", startOnce);
  document.head.appendChild(stylesheet);
})();
