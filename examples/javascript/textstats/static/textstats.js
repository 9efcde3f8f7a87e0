// Sends the form's text to the JSON endpoint and writes the answer into the page.
// The endpoint's URL comes from the form's data-stats-url attribute, which the
// template fills in with url_for(), so nothing here hard-codes a path.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("stats-form");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const results = document.getElementById("results");
  const topList = document.getElementById("top-words");

  function showError(message) {
    results.hidden = true;
    errorBox.textContent = message;
    errorBox.hidden = false;
    status.textContent = "Failed";
  }

  function showResults(stats) {
    errorBox.hidden = true;
    for (const [id, key] of [
      ["characters", "characters"],
      ["lines", "lines"],
      ["words", "words"],
      ["unique-words", "unique_words"],
    ]) {
      document.getElementById(id).textContent = String(stats[key]);
    }
    // textContent, never innerHTML: the words come from user input.
    topList.replaceChildren(
      ...stats.top_words.map(({ word, count }) => {
        const item = document.createElement("li");
        item.textContent = `${word} (${count})`;
        return item;
      }),
    );
    results.hidden = false;
    status.textContent = "Done";
  }

  async function analyse(event) {
    event.preventDefault();
    status.textContent = "Working…";
    const payload = {
      text: form.elements.text.value,
      top: Number.parseInt(form.elements.top.value, 10),
    };
    let response;
    try {
      response = await fetch(form.dataset.statsUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
      });
    } catch {
      showError("The server could not be reached.");
      return;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok || body === null) {
      showError(body?.error ?? `The server answered ${response.status}.`);
    } else {
      showResults(body);
    }
  }

  form.addEventListener("submit", analyse);
});
