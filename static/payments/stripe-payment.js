// The Stripe payment step: mounts the Payment Element and confirms the PaymentIntent.
// Right before confirming, it asks our site whether the payment may still be made (the
// market open, the items still held): if not, nothing is charged and the shopper goes
// back to the basket. Stripe then sends the shopper to the return page.
(function () {
  "use strict";

  var form = document.getElementById("stripe-payment-form");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var data = form.dataset;
  var button = document.getElementById("stripe-payment-submit");
  var message = document.getElementById("stripe-payment-message");
  var stripe = window.Stripe(data.publishableKey, { locale: data.locale || "fr" });
  var elements = stripe.elements({ clientSecret: data.clientSecret });
  var paymentElement = elements.create("payment");

  function showError(text) {
    message.textContent = text || data.errorMessage;
    message.hidden = false;
    button.disabled = false;
  }

  paymentElement.on("ready", function () {
    button.disabled = false;
  });
  paymentElement.mount("#stripe-payment-element");

  function precheck() {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(data.precheckUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    }).then(function (response) {
      return response.json();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    message.hidden = true;
    precheck()
      .then(function (verdict) {
        if (!verdict.ok) {
          window.location.assign(verdict.redirect);
          return null;
        }
        return stripe.confirmPayment({
          elements: elements, confirmParams: { return_url: data.returnUrl },
        });
      })
      .then(function (result) {
        // Only reached when Stripe did not redirect: the card was refused or invalid.
        if (result && result.error) {
          showError(result.error.message);
        }
      })
      .catch(function () {
        showError();
      });
  });
})();
