/* Minimal chat page for the TSF Assistant: talks to Rasa's REST channel.
 * Bot text is always rendered with textContent, never as HTML. */
(function () {
  "use strict";
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var status = document.getElementById("chat-status");
  var server = null;

  function senderId() {
    var key = "tsf-sender";
    var id = window.localStorage.getItem(key);
    if (!id) {
      id = "web-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
      window.localStorage.setItem(key, id);
    }
    return id;
  }

  function addMessage(text, who) {
    var item = document.createElement("p");
    item.className = "message message--" + who;
    item.textContent = text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function addButtons(buttons) {
    var row = document.createElement("div");
    row.className = "buttons";
    buttons.forEach(function (button) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.addEventListener("click", function () {
        row.remove();
        send(button.payload, button.title);
      });
      row.appendChild(element);
    });
    log.appendChild(row);
  }

  function send(message, shownAs) {
    if (shownAs !== false) { addMessage(shownAs || message, "user"); }
    status.textContent = "The assistant is typing…";
    return fetch(server + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), message: message })
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (replies) {
        status.textContent = "Connected";
        replies.forEach(function (reply) {
          if (reply.text) { addMessage(reply.text, "bot"); }
          if (reply.buttons && reply.buttons.length) { addButtons(reply.buttons); }
        });
      })
      .catch(function () {
        status.textContent = "Sorry, the assistant is not available right now. Please try again.";
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });

  fetch("config.json")
    .then(function (response) { return response.json(); })
    .then(function (config) {
      server = config.server;
      status.textContent = "Connected";
      return send("/greet", false);
    })
    .catch(function () { status.textContent = "Sorry, the chat could not start."; });
})();
